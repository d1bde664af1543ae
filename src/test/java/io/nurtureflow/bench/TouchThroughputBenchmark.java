package io.nurtureflow.bench;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import com.icegreen.greenmail.util.GreenMail;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Touch throughput with the job executor on and channels in record-only mode: 10,000
 * acknowledgement emails fall due at once, and the benchmark measures how fast the executor turns
 * them into {@code touch} rows; against it, the raw async job rate of a trivial process (an async
 * service task with {@code ${true}}) on the same engine, executor and database. Not a test: a
 * {@code main} that prints a table and stops by itself.
 * <p>
 * How the touches fall due together: the job definitions of {@code lead-nurture} are suspended,
 * 10,000 lead rows are inserted with SQL and for each a journey is started with
 * {@code RuntimeService} right before the step {@code Task_SendAcknowledgement} and, as a second
 * token that keeps the journey alive as a real one is, at the follow-up timer a month out (in
 * batches, one transaction per batch), so each journey holds one suspended async-before job of
 * that step. Then all job definitions are activated in one call, {@code ACT_RU_JOB} is analysed
 * (as autovacuum soon would: its statistics still had every job suspended), and the executor is
 * woken as a job created on this node would wake it. The raw process is set up the same way, and
 * runs twice, before and after the touches: the touches are compared with the mean of the two, so
 * that the machine's speed drifting during the run does not move the ratio. A warm-up round of
 * 2,000 of each, set up and drained the same way, runs first and is not measured: without it the
 * first 10 s ran at under half the later rate while the JIT compiled the touch's path (the intake
 * and speed benchmarks warm up too). A touch here is therefore the acknowledgement step's whole
 * work, one job: ledger, contact policy, rendering, the {@code touch} and
 * {@code recorded_message} rows (record-only) or the claim, the SMTP handover and the result
 * (with {@code -Dbench.smtp=true}: GreenMail in this JVM), then on to the end.
 * <p>
 * Executor settings come from the usual properties, e.g.
 * {@code -Dcamunda.bpm.job-execution.core-pool-size=4 -Dcamunda.bpm.job-execution.max-pool-size=4
 * -Dcamunda.bpm.job-execution.max-jobs-per-acquisition=10 -Dcamunda.bpm.job-execution.wait-time-in-millis=500};
 * {@code -Dbench.leads=10000 -Dbench.warmup=2000 -Dbench.limitSeconds=300} change the sizes and
 * the bound ({@code -Dbench.warmup=0} measures a cold JVM);
 * {@code -Dbench.smtp=true} sends the touches to an SMTP server instead of recording them.
 */
public final class TouchThroughputBenchmark {

	static final int LEADS = Integer.getInteger("bench.leads", 10_000);

	static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.limitSeconds", 300));

	static final int SETUP_THREADS = Integer.getInteger("bench.setupThreads", 2);

	/** Touches go out by SMTP (GreenMail in this JVM) instead of being recorded. */
	static final boolean SMTP = Boolean.getBoolean("bench.smtp");

	/** Touches and raw jobs run first, the same way, and not measured: the JIT's warm-up. */
	static final int WARMUP = Integer.getInteger("bench.warmup", 2_000);

	static final int BATCH = 100;

	static final double TARGET_TOUCHES_PER_SECOND = 200;

	static final double TARGET_SHARE_OF_RAW = 0.80;

	static final String JOURNEY = "lead-nurture";

	static final String STEP = "Task_SendAcknowledgement";

	/** A second token that waits (a timer a month out), so the journey lives on as a real one does. */
	static final String WAITING = "Timer_FollowUpDate";

	static final String ACKNOWLEDGED = "EndEvent_Acknowledged";

	static final String OUTCOME = SMTP ? "SENT" : "RECORDED";

	static final String RAW_KEY = "bench-raw-async";

	private TouchThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		// The call SLA timer is not on the measured path (journeys start at the acknowledgement);
		// a day keeps any other timer from falling due inside the window.
		GreenMail smtp = SMTP ? BenchEnvironment.smtpServer() : null;
		Map<String, String> settings = new HashMap<>(Map.of("nurture.journey.call-sla", "P1D"));
		if (smtp != null) {
			settings.putAll(BenchEnvironment.sendingTo(smtp));
		}
		try {
			BenchEnvironment.runAndPrint(settings, Map.of(), (env) -> run(env, smtp));
		}
		finally {
			if (smtp != null) {
				smtp.stop();
			}
		}
	}

	private static String run(BenchEnvironment env, GreenMail smtp) throws Exception {
		Probe probe = new Probe(env.jdbc());
		env.engine()
			.getRepositoryService()
			.createDeployment()
			.name(RAW_KEY)
			.addModelInstance(RAW_KEY + ".bpmn",
					Bpmn.createExecutableProcess(RAW_KEY)
						.camundaHistoryTimeToLive(1)
						.startEvent()
						.serviceTask()
						.camundaAsyncBefore()
						.camundaExpression("${true}")
						.endEvent()
						.done())
			.deploy();

		// ---- a warm-up round of each, not measured: the JIT compiles the touch's and the raw job's
		// paths, as on a node that has run for a while (the intake and speed benchmarks warm up too)
		String warmUpRates = null;
		if (WARMUP > 0) {
			Touches warmTouches = touches(env, probe, smtp, "warm", WARMUP);
			Drain warmRaw = raw(env, probe, "warm", WARMUP);
			log("warm-up: %d touches at %.1f/s, %d raw jobs at %.1f/s (not measured)", warmTouches.drain.done,
					warmTouches.drain.perSecond(), warmRaw.done, warmRaw.perSecond());
			warmUpRates = WARMUP + " of each: " + BenchEnvironment.format(warmTouches.drain.perSecond()) + " / "
					+ BenchEnvironment.format(warmRaw.perSecond()) + " per s";
		}

		// ---- the measured rounds: the raw async job rate before and after the journeys'
		// acknowledgement touches, so that a machine whose speed drifts during the run (it does here,
		// by a third within minutes) moves the touches' reference with them
		Drain rawBefore = raw(env, probe, "before", LEADS);
		Touches measured = touches(env, probe, smtp, "run", LEADS);
		Drain touches = measured.drain;
		double touchSetupSeconds = touches.setupSeconds;
		long recorded = measured.recorded;
		long received = measured.received;
		long journeyJobsLeft = BenchEnvironment.countUntilNone(env.jdbc(), Duration.ofMillis(500),
				System.nanoTime() + LIMIT.toNanos(),
				"select count(*) from act_ru_job where process_def_key_ = '" + JOURNEY + "' and type_ = 'message'");
		double journeysEndedAfter = secondsAfter(env, touches.activated,
				"select max(end_time_) from act_hi_actinst where act_id_ = '" + ACKNOWLEDGED + "'");
		Drain raw = raw(env, probe, "after", LEADS);
		double rawSetupSeconds = raw.setupSeconds;

		String warmUp = (warmUpRates != null) ? warmUpRates : "none";
		double touchesPerSecond = touches.perSecond();
		double rawPerSecond = (rawBefore.perSecond() + raw.perSecond()) / 2;
		double share = touchesPerSecond / rawPerSecond;
		List<String[]> rows = new ArrayList<>();
		rows.add(BenchEnvironment.row("touches " + (SMTP ? "sent by SMTP" : "recorded") + " (EMAIL acknowledgement), "
				+ LEADS + " due at once",
				BenchEnvironment.format(touchesPerSecond) + " touches/s", ">= 200/s",
				IntakeBenchmark.verdict(touches.done == LEADS && touchesPerSecond >= TARGET_TOUCHES_PER_SECOND)));
		rows.add(BenchEnvironment.row("raw async jobs (${true}), " + LEADS + " due at once: before / after the touches",
				BenchEnvironment.format(rawBefore.perSecond()) + " / " + BenchEnvironment.format(raw.perSecond())
						+ " jobs/s",
				"-", "-"));
		rows.add(BenchEnvironment.row("raw async jobs, the mean of the two", BenchEnvironment.format(rawPerSecond)
				+ " jobs/s", "-", "-"));
		rows.add(BenchEnvironment.row("touches / raw jobs", BenchEnvironment.format(share * 100) + " %", ">= 80 %",
				IntakeBenchmark.verdict(touches.done == LEADS && share >= TARGET_SHARE_OF_RAW)));
		rows.add(BenchEnvironment.row("touches: all written after / first after",
				BenchEnvironment.format(touches.lastAfter) + " s / " + BenchEnvironment.format(touches.firstAfter)
						+ " s",
				"-", "-"));
		rows.add(BenchEnvironment.row("raw after the touches: all done after / first after",
				BenchEnvironment.format(raw.lastAfter) + " s / " + BenchEnvironment.format(raw.firstAfter) + " s", "-",
				"-"));
		rows.add(BenchEnvironment.row("touches " + OUTCOME + " / messages the SMTP server received",
				recorded + " / " + (SMTP ? String.valueOf(received) : "-"), LEADS + "",
				IntakeBenchmark.verdict(touches.done == LEADS && recorded == LEADS && received == LEADS)));
		rows.add(BenchEnvironment.row("acknowledgement branches ended after (one job per touch)",
				BenchEnvironment.format(journeysEndedAfter) + " s, " + journeyJobsLeft + " jobs left", "-",
				IntakeBenchmark.verdict(journeyJobsLeft == 0)));
		rows.add(BenchEnvironment.row(
				"CPU-bound ceiling: touches / raw jobs after them (2 cores to themselves, estimate)",
				BenchEnvironment.format(touches.usage.cpuBoundCeiling(2)) + " / "
						+ BenchEnvironment.format(raw.usage.cpuBoundCeiling(2)) + " per s",
				">= 200/s", IntakeBenchmark.verdict(touches.usage.cpuBoundCeiling(2) >= TARGET_TOUCHES_PER_SECOND)));
		rows.add(BenchEnvironment.row("warm-up first (not measured): touches / raw jobs", warmUp, "-", "-"));
		rows.add(BenchEnvironment.row("set-up (not measured): journeys / raw instances",
				BenchEnvironment.format(touchSetupSeconds) + " s / " + BenchEnvironment.format(rawSetupSeconds) + " s",
				"-", "-"));

		StringBuilder out = new StringBuilder();
		out.append("\n==== TouchThroughputBenchmark ====\n");
		out.append(BenchEnvironment.table(new String[] { "setting", "value" }, env.setting()));
		out.append('\n');
		out.append(BenchEnvironment.table(new String[] { "figure", "measured", "target", "verdict" }, rows));
		out.append("\nWhere the CPU went from activation until all were written (per touch / per raw job):\n");
		List<String[]> cpu = new ArrayList<>();
		cpu.add(BenchEnvironment.row("touches", "", ""));
		cpu.addAll(touches.usage.rows("touch"));
		cpu.add(BenchEnvironment.row("raw async jobs, before the touches", "", ""));
		cpu.addAll(rawBefore.usage.rows("job"));
		cpu.add(BenchEnvironment.row("raw async jobs, after the touches", "", ""));
		cpu.addAll(raw.usage.rows("job"));
		out.append(BenchEnvironment.table(new String[] { "where", "per operation", "cores" }, cpu));
		if (touches.usage.statementsCounted()) {
			out.append("\nSQL that took PostgreSQL longest while the touches were made (calls, total ms, statement):\n");
			out.append(BenchEnvironment.table(new String[] { "calls", "ms", "statement" },
					touches.usage.topStatements()));
		}
		out.append('\n');
		boolean met = touches.done == LEADS && touchesPerSecond >= TARGET_TOUCHES_PER_SECOND
				&& share >= TARGET_SHARE_OF_RAW;
		out.append(met ? "Both targets met.\n"
				: "BELOW TARGET: " + ((touches.done < LEADS)
						? "only " + touches.done + " of " + LEADS + " touches within " + LIMIT.toSeconds() + " s; " : "")
						+ ((touchesPerSecond < TARGET_TOUCHES_PER_SECOND)
								? BenchEnvironment.format(touchesPerSecond) + " touches/s, not >= 200; " : "")
						+ ((share < TARGET_SHARE_OF_RAW)
								? BenchEnvironment.format(share * 100) + " % of the raw job rate, not >= 80 %" : "")
						+ "\n");
		out.append(Commands.rerun(TouchThroughputBenchmark.class));
		return out.toString();
	}

	/**
	 * One round of touches: {@code count} leads of campaign {@code round}, each journey held at its
	 * suspended acknowledgement step, all activated at once and drained.
	 */
	private static Touches touches(BenchEnvironment env, Probe probe, GreenMail smtp, String round, int count)
			throws Exception {
		RuntimeService runtime = env.engine().getRuntimeService();
		ManagementService management = env.engine().getManagementService();
		TransactionTemplate transaction = env.bean(TransactionTemplate.class);
		management.suspendJobDefinitionByProcessDefinitionKey(JOURNEY, true);
		log("%s: setting up %d leads with a suspended acknowledgement job each", round, count);
		long setupStart = System.nanoTime();
		String campaign = round + "-" + Long.toString(System.currentTimeMillis(), 36);
		java.util.Date followUp = java.util.Date.from(Instant.now().plus(Duration.ofDays(30)));
		inBatches(transaction, count, (i) -> {
			UUID id = UUID.randomUUID();
			insertLead(env, id, "ack-" + campaign + "-" + i + "@bench.example.com", campaign);
			runtime.createProcessInstanceByKey(JOURNEY)
				.businessKey(id.toString())
				.setVariable("leadId", id.toString())
				.setVariable("followUpDate", followUp)
				.startBeforeActivity(WAITING)
				.startBeforeActivity(STEP)
				.execute();
		});
		double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
		long suspended = management.createJobQuery().processDefinitionKey(JOURNEY).activityId(STEP).suspended().count();
		log("%s: set up in %.0f s; %d suspended acknowledgement jobs", round, setupSeconds, suspended);

		String made = "from touch t join lead l on l.id = t.lead_id where l.campaign = '" + campaign
				+ "' and t.activity_id = '" + STEP + "' and t.channel = 'EMAIL' and t.status = '" + OUTCOME + "'";
		String madeAt = SMTP ? "t.updated_at" : "t.created_at";
		int receivedBefore = (smtp != null) ? smtp.getReceivedMessages().length : 0;
		// the poll counts every round's touches (as cheaply as before there were rounds); the round's
		// own are counted exactly once it is done
		Drain drain = Drain.run(env, probe, count,
				() -> management.activateJobDefinitionByProcessDefinitionKey(JOURNEY, true),
				"select count(*) from touch where activity_id = '" + STEP + "' and channel = 'EMAIL' and status = '"
						+ OUTCOME + "'",
				"select max(" + madeAt + ") " + made, "select min(" + madeAt + ") " + made);
		drain.setupSeconds = setupSeconds;
		long recorded = env.jdbc().queryForObject("select count(*) " + made, Long.class);
		long received = (smtp != null) ? smtp.getReceivedMessages().length - receivedBefore : recorded;
		return new Touches(drain, recorded, received);
	}

	/** One round of raw async jobs: {@code count} instances of the raw process, activated at once. */
	private static Drain raw(BenchEnvironment env, Probe probe, String round, int count) throws Exception {
		RuntimeService runtime = env.engine().getRuntimeService();
		ManagementService management = env.engine().getManagementService();
		management.suspendJobDefinitionByProcessDefinitionKey(RAW_KEY, true);
		log("%s: setting up %d raw instances with a suspended async job each", round, count);
		long setupStart = System.nanoTime();
		String tag = round + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
		inBatches(env.bean(TransactionTemplate.class), count,
				(i) -> runtime.startProcessInstanceByKey(RAW_KEY, tag + i));
		double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
		String ended = "from act_hi_procinst where proc_def_key_ = '" + RAW_KEY + "' and end_time_ is not null";
		String roundEnded = ended + " and business_key_ like '" + tag + "%'";
		Drain drain = Drain.run(env, probe, count,
				() -> management.activateJobDefinitionByProcessDefinitionKey(RAW_KEY, true), "select count(*) " + ended,
				"select max(end_time_) " + roundEnded, "select min(end_time_) " + roundEnded);
		drain.setupSeconds = setupSeconds;
		return drain;
	}

	/** A round of touches: how it drained, its touches recorded, and the messages the SMTP server received. */
	private record Touches(Drain drain, long recorded, long received) {
	}

	/** Runs {@code work(i)} for i in 0..count, in transactions of BATCH, on SETUP_THREADS threads. */
	private static void inBatches(TransactionTemplate transaction, int count, IntConsumer work) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
		try {
			List<Future<?>> batches = new ArrayList<>();
			for (int from = 0; from < count; from += BATCH) {
				int start = from;
				int end = Math.min(count, from + BATCH);
				batches.add(pool.submit(() -> transaction.executeWithoutResult((status) -> {
					for (int i = start; i < end; i++) {
						work.accept(i);
					}
				})));
			}
			for (Future<?> batch : batches) {
				batch.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void insertLead(BenchEnvironment env, UUID id, String email, String campaign) {
		Timestamp now = Timestamp.from(Instant.now());
		env.jdbc().update("""
				insert into lead (id, email, phone, first_name, last_name, company, title, industry, company_size,
				                  country, time_zone, source, campaign, consent_email, consent_sms, stage,
				                  engagement_score, created_at, updated_at)
				values (?, ?, '+4930901820', 'Ada', 'Lovelace', 'Analytical Engines', 'Head of Operations', 'software',
				        '51-200', 'DE', 'Europe/Berlin', 'webinar', ?, true, false, 'NEW', 0, ?, ?)
				""", id, email, campaign, now, now);
	}

	static double secondsAfter(BenchEnvironment env, Instant from, String maxTimeSql) {
		Timestamp at = env.jdbc().queryForObject(maxTimeSql, Timestamp.class);
		return (at != null) ? Duration.between(from, at.toInstant()).toMillis() / 1000.0 : Double.NaN;
	}

	static void log(String format, Object... args) {
		System.out.printf("[bench] " + format + "%n", args);
	}

	/** Activate suspended jobs, then poll a count every 500 ms until all are done (bounded). */
	static final class Drain {

		Instant activated;

		long done;

		double firstAfter;

		double lastAfter;

		Probe.Usage usage;

		double setupSeconds;

		/**
		 * {@code countSql} may count earlier rounds too: what it counts before the activation is
		 * taken off. {@code lastSql} and {@code firstSql} must see only this round.
		 */
		static Drain run(BenchEnvironment env, Probe probe, int count, Runnable activate, String countSql,
				String lastSql, String firstSql) throws InterruptedException {
			Drain drain = new Drain();
			long before = env.jdbc().queryForObject(countSql, Long.class);
			Probe.Snapshot begin = probe.snapshot();
			drain.activated = Instant.now();
			activate.run();
			// Statistics taken while every job was suspended tell the planner that hardly any job can
			// be acquired, and it reads and sorts all due jobs on each acquisition. Production sees that
			// only until autovacuum analyses the table, within a minute (db/postgresql/V8).
			env.jdbc().execute("analyze act_ru_job");
			// a job created on this node wakes the acquisition at once; activation does not
			env.jobExecutor().jobWasAdded();
			log("activated in %d ms; polling every 500 ms (at most %d s)",
					Duration.between(drain.activated, Instant.now()).toMillis(), LIMIT.toSeconds());
			long deadline = System.nanoTime() + LIMIT.toNanos();
			long lastLogged = System.nanoTime();
			while ((drain.done = env.jdbc().queryForObject(countSql, Long.class) - before) < count
					&& System.nanoTime() < deadline) {
				if (System.nanoTime() - lastLogged > 10_000_000_000L) {
					log("  %d of %d after %.0f s", drain.done, count,
							Duration.between(drain.activated, Instant.now()).toMillis() / 1000.0);
					lastLogged = System.nanoTime();
				}
				Thread.sleep(500);
			}
			drain.usage = probe.since(begin, drain.done);
			drain.lastAfter = secondsAfter(env, drain.activated, lastSql);
			drain.firstAfter = secondsAfter(env, drain.activated, firstSql);
			return drain;
		}

		/** Done per second from activation to the last one's own timestamp. */
		double perSecond() {
			return (this.lastAfter > 0) ? this.done / this.lastAfter : 0;
		}

	}

}
