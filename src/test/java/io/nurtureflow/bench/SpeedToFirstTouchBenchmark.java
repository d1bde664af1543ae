package io.nurtureflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;

/**
 * Speed to first touch: leads arrive at a steady rate through {@code POST /api/leads}, and for
 * each the benchmark measures the time from the POST's answer to the acknowledgement email being
 * handed to the SMTP server (GreenMail, in this JVM: the moment it accepts the message for the
 * lead's address). Not a test: a {@code main} that prints a table and stops by itself.
 * <p>
 * The load is open: a lead is due every {@code 1/rate} seconds whatever the server does, as leads
 * arrive on a website. When the server answers too slowly to keep up, at most
 * {@code bench.inFlight} requests wait at once and the leads due beyond that are counted as not
 * offered, so the rate reached is printed beside the rate asked for.
 * <p>
 * The warm-up runs at the same rate, then its backlog drains before the measured window starts,
 * so the window sees a server whose code is compiled and whose queues start empty.
 * <p>
 * {@code -Dbench.rate=100 -Dbench.warmupSeconds=30 -Dbench.seconds=30 -Dbench.inFlight=64
 * -Dbench.drainSeconds=120} change the load and the bounds.
 */
public final class SpeedToFirstTouchBenchmark {

	static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "100"));

	static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 30));

	/** Jobs the executor could take now. */
	static final String DUE_JOBS = "select count(*) from act_ru_job where retries_ > 0"
			+ " and (duedate_ is null or duedate_ <= current_timestamp)";

	static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 30));

	static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 64);

	static final Duration DRAIN = Duration.ofSeconds(Long.getLong("bench.drainSeconds", 120));

	static final double TARGET_P99_MILLIS = 1000;

	private SpeedToFirstTouchBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		GreenMail smtp = BenchEnvironment.smtpServer();
		Handovers handovers = Handovers.recordedBy(smtp.getUserManager());
		// The call SLA and every later wait are hours or days away: nothing but acknowledgements is
		// due inside the window, as in the first minutes of a real lead.
		Map<String, String> settings = new HashMap<>(BenchEnvironment.sendingTo(smtp));
		settings.put("nurture.journey.call-sla", "P1D");
		try {
			BenchEnvironment.runAndPrint(settings, Map.of(), (env) -> run(env, handovers));
		}
		finally {
			smtp.stop();
		}
	}

	private static String run(BenchEnvironment env, Handovers handovers) throws Exception {
		IntakeBenchmark.log("%s leads/s for %d s warm-up and %d s measured, at most %d requests waiting, on 127.0.0.1:%d",
				BenchEnvironment.format(RATE), WARMUP.toSeconds(), MEASURE.toSeconds(), IN_FLIGHT, env.port());
		Load load = new Load(env.port());
		// warm-up: the JIT, the pools and the caches get to work; then its backlog drains away
		load.offer(WARMUP, false);
		long drained = drain(env, DRAIN);
		IntakeBenchmark.log("warm-up: %d leads answered, %d due jobs left after draining", load.answered.size(),
				drained);

		Probe probe = new Probe(env.jdbc());
		Probe.Snapshot windowStart = probe.snapshot();
		load.offer(MEASURE, true);
		Probe.Usage usage = probe.since(windowStart, (long) (RATE * MEASURE.toSeconds()));
		long queuedAtEnd = dueJobs(env);
		long windowEnded = System.nanoTime();
		load.finish();
		Map<String, Long> answered = load.answered;
		Map<String, String> leadIds = load.leadIds;
		Map<String, Boolean> measured = load.measured;
		AtomicLong notOffered = load.notOffered;
		AtomicLong failed = load.failed;
		BenchEnvironment.Nanos postLatencies = load.postLatencies;

		IntakeBenchmark.log("%d leads answered in the measured window; waiting up to %d s for their acknowledgements",
				measured.size(), DRAIN.toSeconds());
		long drainUntil = System.nanoTime() + DRAIN.toNanos();
		while (System.nanoTime() < drainUntil && !handovers.haveAll(measured.keySet())) {
			Thread.sleep(100);
		}

		// the rest of speed to lead: scored, the call task in front of the reps, the SMS step decided
		String[] measuredIds = measured.keySet().stream().map(leadIds::get).toArray(String[]::new);
		long called = 0;
		while (true) {
			called = env.jdbc().queryForObject("""
					select count(*) from act_ru_task t join act_hi_procinst p on p.id_ = t.proc_inst_id_
					where t.task_def_key_ = 'Task_CallNewLead' and p.business_key_ = any(?)""", Long.class,
					(Object) measuredIds);
			if (called >= measuredIds.length || System.nanoTime() > drainUntil) {
				break;
			}
			Thread.sleep(200);
		}
		double callsDoneAfter = (System.nanoTime() - windowEnded) / 1e9;

		BenchEnvironment.Nanos toTouch = new BenchEnvironment.Nanos();
		long missing = 0;
		long beforeAnswer = 0;
		for (String email : measured.keySet()) {
			Long handed = handovers.first(email);
			if (handed == null) {
				missing++;
				continue;
			}
			long latency = handed - answered.get(email);
			if (latency < 0) {
				beforeAnswer++;
			}
			toTouch.add(Math.max(0, latency));
		}
		long[] sorted = BenchEnvironment.Nanos.sortedUnion(List.of(toTouch));
		long[] posts = BenchEnvironment.Nanos.sortedUnion(List.of(postLatencies));
		long duplicates = handovers.duplicates();
		double reached = measured.size() / (MEASURE.toNanos() / 1e9);
		double p99 = (missing > 0) ? Double.POSITIVE_INFINITY : BenchEnvironment.percentileMillis(sorted, 0.99);
		long withinSecond = java.util.Arrays.stream(sorted).filter((n) -> n <= 1_000_000_000L).count();

		List<String[]> rows = new ArrayList<>();
		rows.add(BenchEnvironment.row("leads/s asked for / answered 201 in the window", BenchEnvironment.format(RATE)
				+ " / " + BenchEnvironment.format(reached), "100 / 100", IntakeBenchmark.verdict(reached >= 0.98 * RATE)));
		rows.add(BenchEnvironment.row("leads due but not offered (all " + IN_FLIGHT + " requests still waiting)",
				String.valueOf(notOffered.get()), "0", IntakeBenchmark.verdict(notOffered.get() == 0)));
		rows.add(BenchEnvironment.row("POST answered -> acknowledgement at SMTP: p50 / p90 / p99 / max",
				millis(sorted, 0.50) + " / " + millis(sorted, 0.90) + " / "
						+ (Double.isInfinite(p99) ? "n/a (" + missing + " missing)" : BenchEnvironment.format(p99))
						+ " / " + millis(sorted, 1.0) + " ms",
				"p99 < 1000 ms", IntakeBenchmark.verdict(p99 < TARGET_P99_MILLIS)));
		rows.add(BenchEnvironment.row("acknowledgements within 1 s of the answer",
				withinSecond + " / " + measured.size(), "-", "-"));
		rows.add(BenchEnvironment.row("handed to SMTP before the client had the answer (counted as 0 ms)",
				String.valueOf(beforeAnswer), "-", "-"));
		rows.add(BenchEnvironment.row("POST latency p50 / p99 (client side)",
				millis(posts, 0.50) + " / " + millis(posts, 0.99) + " ms", "-", "-"));
		rows.add(BenchEnvironment.row("acknowledgements missing after " + DRAIN.toSeconds() + " s / sent twice",
				missing + " / " + duplicates, "0 / 0", IntakeBenchmark.verdict(missing == 0 && duplicates == 0)));
		rows.add(BenchEnvironment.row("requests failed or not 201", String.valueOf(failed.get()), "0",
				IntakeBenchmark.verdict(failed.get() == 0)));
		rows.add(BenchEnvironment.row("jobs due but not yet run when the window ended", String.valueOf(queuedAtEnd),
				"-", "-"));
		rows.add(BenchEnvironment.row("measured leads with their call task / all call tasks there after",
				called + " / " + measuredIds.length + ", " + BenchEnvironment.format(callsDoneAfter)
						+ " s after the window",
				"-", "-"));
		rows.add(BenchEnvironment.row("CPU-bound ceiling of whole leads (2 cores to themselves, estimate)",
				BenchEnvironment.format(usage.cpuBoundCeiling(2)) + " leads/s", "-", "-"));

		StringBuilder out = new StringBuilder();
		out.append("\n==== SpeedToFirstTouchBenchmark ====\n");
		out.append(BenchEnvironment.table(new String[] { "setting", "value" }, env.setting()));
		out.append('\n');
		out.append(BenchEnvironment.table(new String[] { "figure", "measured", "target", "verdict" }, rows));
		out.append("\nWhere the CPU went in the measured window (per lead asked for; GreenMail and the"
				+ " benchmark's clients are in this JVM):\n");
		out.append(BenchEnvironment.table(new String[] { "where", "per lead", "cores" }, usage.rows("lead")));
		if (usage.statementsCounted()) {
			out.append("\nSQL that took PostgreSQL longest in the measured window (calls, total ms, statement):\n");
			out.append(BenchEnvironment.table(new String[] { "calls", "ms", "statement" }, usage.topStatements()));
		}
		out.append(Commands.rerun(SpeedToFirstTouchBenchmark.class));
		return out.toString();
	}

	/** Waits until no job is due (the warm-up's acknowledgements, scoring and calls are done); the due count left. */
	private static long drain(BenchEnvironment env, Duration limit) throws InterruptedException {
		return BenchEnvironment.countUntilNone(env.jdbc(), Duration.ofMillis(500), System.nanoTime() + limit.toNanos(),
				DUE_JOBS);
	}

	private static long dueJobs(BenchEnvironment env) {
		return env.jdbc().queryForObject(DUE_JOBS, Long.class);
	}

	/**
	 * The open load: a lead is due every {@code 1/rate} seconds whatever the server does; at most
	 * {@code bench.inFlight} requests wait at once, the leads due beyond that are not offered.
	 */
	static final class Load {

		final Map<String, Long> answered = new ConcurrentHashMap<>();

		final Map<String, String> leadIds = new ConcurrentHashMap<>();

		final Map<String, Boolean> measured = new ConcurrentHashMap<>();

		final AtomicLong notOffered = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		final BenchEnvironment.Nanos postLatencies = new BenchEnvironment.Nanos();

		private final URI leads;

		private final HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private final Semaphore waiting = new Semaphore(IN_FLIGHT);

		private final ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);

		private final String run = Long.toString(System.currentTimeMillis(), 36);

		private final AtomicInteger sequence = new AtomicInteger();

		Load(int port) {
			this.leads = URI.create("http://127.0.0.1:" + port + "/api/leads");
		}

		/** Offers leads at the rate for a while; with {@code measure}, those sent in it are measured. */
		void offer(Duration duration, boolean measure) throws InterruptedException {
			ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
			long until = System.nanoTime() + duration.toNanos();
			clock.scheduleAtFixedRate(() -> {
				if (System.nanoTime() >= until) {
					return;
				}
				if (!this.waiting.tryAcquire()) {
					if (measure) {
						this.notOffered.incrementAndGet();
					}
					return;
				}
				int n = this.sequence.getAndIncrement();
				this.senders.execute(() -> post(n, measure));
			}, 0, (long) (1e9 / RATE), TimeUnit.NANOSECONDS);
			Thread.sleep(duration.toMillis());
			clock.shutdownNow();
		}

		void finish() throws InterruptedException {
			this.senders.shutdown();
			this.senders.awaitTermination(2, TimeUnit.MINUTES);
		}

		private void post(int n, boolean measure) {
			try {
				String email = "first-" + this.run + "-" + n + "@bench.example.com";
				long sent = System.nanoTime();
				HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(this.leads)
					.timeout(Duration.ofSeconds(60))
					.header("X-Api-Key", BenchEnvironment.API_KEY)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(IntakeBenchmark.body(email, n % 8)))
					.build(), HttpResponse.BodyHandlers.ofString());
				long now = System.nanoTime();
				if (response.statusCode() != 201) {
					this.failed.incrementAndGet();
					return;
				}
				this.answered.put(email, now);
				String location = response.headers().firstValue("Location").orElseThrow();
				this.leadIds.put(email, location.substring(location.lastIndexOf('/') + 1));
				if (measure) {
					this.measured.put(email, Boolean.TRUE);
					synchronized (this.postLatencies) {
						this.postLatencies.add(now - sent);
					}
				}
			}
			catch (Exception ex) {
				if (this.failed.incrementAndGet() <= 3) {
					System.err.println("[bench] POST failed: " + ex);
				}
			}
			finally {
				this.waiting.release();
			}
		}

	}

	private static String millis(long[] sorted, double q) {
		return BenchEnvironment.format(BenchEnvironment.percentileMillis(sorted, q));
	}

	/**
	 * When GreenMail accepted each message, by recipient: the SMTP handover. GreenMail hands every
	 * accepted message to its user manager's delivery handler; this one notes the time and passes
	 * the message on to the handler it replaces.
	 */
	static final class Handovers {

		private final Map<String, Long> first = new ConcurrentHashMap<>();

		private final AtomicLong duplicates = new AtomicLong();

		static Handovers recordedBy(UserManager users) {
			Handovers handovers = new Handovers();
			MessageDeliveryHandler delivering = users.getMessageDeliveryHandler();
			users.setMessageDeliveryHandler((message, address) -> {
				long now = System.nanoTime();
				if (handovers.first.putIfAbsent(address.getEmail().toLowerCase(java.util.Locale.ROOT), now) != null) {
					handovers.duplicates.incrementAndGet();
				}
				return delivering.handle(message, address);
			});
			return handovers;
		}

		Long first(String email) {
			return this.first.get(email);
		}

		boolean haveAll(Iterable<String> emails) {
			for (String email : emails) {
				if (!this.first.containsKey(email)) {
					return false;
				}
			}
			return true;
		}

		long duplicates() {
			return this.duplicates.get();
		}

	}

}
