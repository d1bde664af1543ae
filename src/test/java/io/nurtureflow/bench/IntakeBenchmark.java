package io.nurtureflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import io.nurtureflow.bench.BenchEnvironment.Nanos;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;

/**
 * Intake throughput: 8 HTTP clients push distinct leads into {@code POST /api/leads} of the real
 * server on PostgreSQL, against the raw engine's start rate of a one-task process in the same
 * JVM, on the same database. Not a test: a {@code main} that prints a table and stops by itself.
 * <p>
 * The raw engine is measured first (it leaves no jobs behind), then the intake; each phase has a
 * warm-up that is not counted. The job executor is on, as in production, so the acknowledgement
 * jobs of the leads run while leads keep arriving; {@code -Dcamunda.bpm.job-execution.enabled=false}
 * measures intake alone.
 * <p>
 * {@code -Dbench.clients=8 -Dbench.warmupSeconds=5 -Dbench.seconds=20} change the load.
 */
public final class IntakeBenchmark {

	static final int CLIENTS = Integer.getInteger("bench.clients", 8);

	static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 5));

	static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 20));

	static final double TARGET_LEADS_PER_SECOND = 500;

	static final double TARGET_SHARE_OF_RAW = 0.40;

	static final String RAW_KEY = "bench-raw";

	private IntakeBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchEnvironment.runAndPrint(Map.of(), Map.of(), IntakeBenchmark::run);
	}

	private static String run(BenchEnvironment env) throws Exception {
		RuntimeService runtime = env.engine().getRuntimeService();
		env.engine()
			.getRepositoryService()
			.createDeployment()
			.name(RAW_KEY)
			.addModelInstance(RAW_KEY + ".bpmn",
					Bpmn.createExecutableProcess(RAW_KEY)
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.userTask()
						.endEvent()
						.done())
			.deploy();

		Probe probe = new Probe(env.jdbc());
		log("raw engine: %d threads, %d s warm-up, %d s measured", CLIENTS, WARMUP.toSeconds(), MEASURE.toSeconds());
		Phase raw = Phase.run("raw", CLIENTS, probe, (thread) -> () -> {
			runtime.startProcessInstanceByKey(RAW_KEY);
			return true;
		});

		log("intake: %d HTTP clients on 127.0.0.1:%d, %d s warm-up, %d s measured", CLIENTS, env.port(),
				WARMUP.toSeconds(), MEASURE.toSeconds());
		long touchesBefore = count(env, "select count(*) from touch");
		List<UUID> created = Collections.synchronizedList(new ArrayList<>());
		Map<Integer, AtomicLong> otherAnswers = new ConcurrentHashMap<>();
		List<String> firstProblems = Collections.synchronizedList(new ArrayList<>());
		String run = Long.toString(System.currentTimeMillis(), 36);
		URI leads = URI.create("http://127.0.0.1:" + env.port() + "/api/leads");
		Phase intake = Phase.run("intake", CLIENTS, probe, (thread) -> {
			HttpClient client = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
			long[] sequence = { 0 };
			return () -> {
				String email = "lead-" + run + "-" + thread + "-" + (sequence[0]++) + "@bench.example.com";
				HttpRequest request = HttpRequest.newBuilder(leads)
					.timeout(Duration.ofSeconds(30))
					.header("X-Api-Key", BenchEnvironment.API_KEY)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body(email, thread)))
					.build();
				HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 201) {
					String location = response.headers().firstValue("Location").orElseThrow();
					created.add(UUID.fromString(location.substring(location.lastIndexOf('/') + 1)));
					return true;
				}
				otherAnswers.computeIfAbsent(response.statusCode(), (s) -> new AtomicLong()).incrementAndGet();
				if (firstProblems.size() < 3) {
					firstProblems.add(response.statusCode() + " " + response.body());
				}
				return false;
			};
		});
		long touchesDuring = count(env, "select count(*) from touch") - touchesBefore;

		log("verifying %d created leads", created.size());
		UUID[] ids = created.toArray(UUID[]::new);
		String[] keys = created.stream().map(UUID::toString).toArray(String[]::new);
		long leadRows = env.jdbc().queryForObject("select count(*) from lead where id = any(?)", Long.class,
				(Object) ids);
		long journeys = env.jdbc()
			.queryForObject("select count(distinct business_key_) from act_hi_procinst "
					+ "where proc_def_key_ = 'lead-nurture' and business_key_ = any(?)", Long.class, (Object) keys);
		long allLeads = count(env, "select count(*) from lead");
		long allJourneys = count(env, "select count(*) from act_hi_procinst where proc_def_key_ = 'lead-nurture'");

		double leadsPerSecond = intake.perSecond();
		double rawPerSecond = raw.perSecond();
		double share = leadsPerSecond / rawPerSecond;
		long others = otherAnswers.values().stream().mapToLong(AtomicLong::get).sum();
		boolean verified = leadRows == ids.length && journeys == ids.length && allLeads == ids.length
				&& allJourneys == ids.length;

		List<String[]> rows = new ArrayList<>();
		rows.add(BenchEnvironment.row("intake: POST /api/leads answered 201, " + CLIENTS + " clients",
				BenchEnvironment.format(leadsPerSecond) + " leads/s", ">= 500 leads/s",
				verdict(leadsPerSecond >= TARGET_LEADS_PER_SECOND)));
		rows.add(BenchEnvironment.row("raw engine: startProcessInstanceByKey(bench-raw), " + CLIENTS + " threads",
				BenchEnvironment.format(rawPerSecond) + " starts/s", "-", "-"));
		rows.add(BenchEnvironment.row("intake / raw", BenchEnvironment.format(share * 100) + " %", ">= 40 %",
				verdict(share >= TARGET_SHARE_OF_RAW)));
		rows.add(BenchEnvironment.row("intake latency p50 / p99 (client side)",
				BenchEnvironment.format(intake.p(0.50)) + " / " + BenchEnvironment.format(intake.p(0.99)) + " ms", "-",
				"-"));
		rows.add(BenchEnvironment.row("raw start latency p50 / p99",
				BenchEnvironment.format(raw.p(0.50)) + " / " + BenchEnvironment.format(raw.p(0.99)) + " ms", "-", "-"));
		rows.add(BenchEnvironment.row("requests measured: intake / raw", intake.count + " / " + raw.count, "-", "-"));
		rows.add(BenchEnvironment.row("answers other than 201, errors", others + " " + new TreeMap<>(otherAnswers)
				+ ", " + intake.errors.get() + " errors", "0", verdict(others == 0 && intake.errors.get() == 0)));
		rows.add(BenchEnvironment.row("touches the job executor wrote during the intake phase",
				String.valueOf(touchesDuring), "-", "-"));
		rows.add(BenchEnvironment.row("CPU-bound ceiling: intake / raw (2 cores to themselves, estimate)",
				BenchEnvironment.format(intake.usage.cpuBoundCeiling(2)) + " / "
						+ BenchEnvironment.format(raw.usage.cpuBoundCeiling(2)) + " per s",
				">= 500 leads/s", verdict(intake.usage.cpuBoundCeiling(2) >= TARGET_LEADS_PER_SECOND)));
		rows.add(BenchEnvironment.row("every 201 has its lead row (warm-up included)", leadRows + " / " + ids.length,
				"all", verdict(leadRows == ids.length && allLeads == ids.length)));
		rows.add(BenchEnvironment.row("every 201 has its lead-nurture journey", journeys + " / " + ids.length, "all",
				verdict(journeys == ids.length && allJourneys == ids.length)));

		StringBuilder out = new StringBuilder();
		out.append("\n==== IntakeBenchmark ====\n");
		out.append(BenchEnvironment.table(new String[] { "setting", "value" }, env.setting()));
		out.append('\n');
		out.append(BenchEnvironment.table(new String[] { "figure", "measured", "target", "verdict" }, rows));
		out.append("\nWhere the CPU went in the measured windows (per operation; cores = average use):\n");
		List<String[]> cpu = new ArrayList<>();
		cpu.add(BenchEnvironment.row("raw engine start", "", ""));
		cpu.addAll(raw.usage.rows("start"));
		cpu.add(BenchEnvironment.row("intake (job executor's work on the new leads included)", "", ""));
		cpu.addAll(intake.usage.rows("lead"));
		out.append(BenchEnvironment.table(new String[] { "where", "per operation", "cores" }, cpu));
		if (intake.usage.statementsCounted()) {
			out.append("\nSQL that took PostgreSQL longest during the intake window (calls, total ms, statement):\n");
			out.append(BenchEnvironment.table(new String[] { "calls", "ms", "statement" },
					intake.usage.topStatements()));
		}
		if (!firstProblems.isEmpty()) {
			out.append("\nfirst answers other than 201:\n");
			firstProblems.forEach((problem) -> out.append("  ").append(problem).append('\n'));
		}
		out.append('\n');
		boolean met = leadsPerSecond >= TARGET_LEADS_PER_SECOND && share >= TARGET_SHARE_OF_RAW;
		out.append(met ? "Both targets met.\n"
				: "BELOW TARGET: " + (leadsPerSecond < TARGET_LEADS_PER_SECOND
						? "intake is " + BenchEnvironment.format(leadsPerSecond) + " leads/s, not >= 500; " : "")
						+ (share < TARGET_SHARE_OF_RAW
								? "intake is " + BenchEnvironment.format(share * 100) + " % of raw, not >= 40 %" : "")
						+ "\n");
		out.append(verified ? "Verified: every 201 has its lead row and its journey.\n"
				: "VERIFICATION FAILED: see the rows above.\n");
		out.append(Commands.rerun(IntakeBenchmark.class));
		return out.toString();
	}

	static String body(String email, int thread) {
		return """
				{"email":"%s","phone":"030 901820","firstName":"Ada","lastName":"Lovelace%d",\
				"company":"Analytical Engines","title":"Head of Operations","industry":"software",\
				"companySize":"51-200","country":"DE","timeZone":"Europe/Berlin","source":"webinar",\
				"campaign":"q4-ops","interests":["automation"],"consent":{"email":true,"sms":false}}"""
			.formatted(email, thread);
	}

	private static long count(BenchEnvironment env, String sql) {
		return env.jdbc().queryForObject(sql, Long.class);
	}

	static String verdict(boolean ok) {
		return ok ? "ok" : "BELOW TARGET";
	}

	static void log(String format, Object... args) {
		System.out.printf("[bench] " + format + "%n", args);
	}

	/** One unit of work; true when it counts as done (a 201, a started instance). */
	interface Call {

		boolean call() throws Exception;

	}

	interface CallFactory {

		Call forThread(int thread) throws Exception;

	}

	/** N threads calling in a loop: a warm-up, then a measured window; bounded by time. */
	static final class Phase {

		long count;

		long elapsedNanos;

		long[] sortedNanos;

		Probe.Usage usage;

		final AtomicLong errors = new AtomicLong();

		static Phase run(String name, int threads, Probe probe, CallFactory factory) throws InterruptedException {
			Phase phase = new Phase();
			long start = System.nanoTime();
			long measureFrom = start + WARMUP.toNanos();
			long measureUntil = measureFrom + MEASURE.toNanos();
			List<Nanos> latencies = Collections.synchronizedList(new ArrayList<>());
			long[] done = new long[threads];
			long[] lastEnd = new long[threads];
			CountDownLatch finished = new CountDownLatch(threads);
			// workers stay alive until their CPU time is read: a dead thread's CPU time is gone
			CountDownLatch measured = new CountDownLatch(1);
			for (int t = 0; t < threads; t++) {
				int thread = t;
				Thread worker = new Thread(() -> {
					Nanos mine = new Nanos();
					latencies.add(mine);
					try {
						Call call = factory.forThread(thread);
						long now = System.nanoTime();
						while (now < measureUntil) {
							long before = now;
							boolean ok;
							try {
								ok = call.call();
							}
							catch (Exception ex) {
								ok = false;
								if (phase.errors.incrementAndGet() <= 3) {
									System.err.println("[bench] " + name + " call failed: " + ex);
								}
							}
							now = System.nanoTime();
							if (before >= measureFrom) {
								mine.add(now - before);
								lastEnd[thread] = now;
								if (ok) {
									done[thread]++;
								}
							}
						}
					}
					catch (Exception ex) {
						System.err.println("[bench] " + name + " thread " + thread + " could not start: " + ex);
					}
					finally {
						finished.countDown();
						try {
							measured.await();
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
				}, (name.equals("raw") ? "raw-engine-" : "bench-" + name + "-") + t);
				worker.start();
			}
			Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
			Probe.Snapshot begin = probe.snapshot();
			finished.await();
			for (int t = 0; t < threads; t++) {
				phase.count += done[t];
				phase.elapsedNanos = Math.max(phase.elapsedNanos, lastEnd[t] - measureFrom);
			}
			phase.usage = probe.since(begin, phase.count);
			measured.countDown();
			phase.sortedNanos = Nanos.sortedUnion(latencies);
			return phase;
		}

		double perSecond() {
			return (this.elapsedNanos > 0) ? this.count / (this.elapsedNanos / 1e9) : 0;
		}

		double p(double q) {
			return BenchEnvironment.percentileMillis(this.sortedNanos, q);
		}

	}

}
