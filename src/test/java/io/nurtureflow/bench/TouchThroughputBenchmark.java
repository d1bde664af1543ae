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
 * woken as a job created on this node would wake it. The raw process is set up the same way. A
 * touch here is therefore the acknowledgement step's whole work, one job: ledger, contact
 * policy, rendering, the {@code touch} and {@code recorded_message} rows (record-only) or the
 * claim, the SMTP handover and the result (with {@code -Dbench.smtp=true}: GreenMail in this
 * JVM), then on to the end.
 * <p>
 * Executor settings come from the usual properties, e.g.
 * {@code -Dcamunda.bpm.job-execution.core-pool-size=4 -Dcamunda.bpm.job-execution.max-pool-size=4
 * -Dcamunda.bpm.job-execution.max-jobs-per-acquisition=10 -Dcamunda.bpm.job-execution.wait-time-in-millis=500};
 * {@code -Dbench.leads=10000 -Dbench.limitSeconds=300} change the size and the bound;
 * {@code -Dbench.smtp=true} sends the touches to an SMTP server instead of recording them.
 */
public final class TouchThroughputBenchmark {

	static final int LEADS = Integer.getInteger("bench.leads", 10_000);

	static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.limitSeconds", 300));

	static final int SETUP_THREADS = Integer.getInteger("bench.setupThreads", 2);

	/** Touches go out by SMTP (GreenMail in this JVM) instead of being recorded. */
	static final boolean SMTP = Boolean.getBoolean("bench.smtp");

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
		long began = System.nanoTime();
		String report;
		// The call SLA timer is not on the measured path (journeys start at the acknowledgement);
		// a day keeps any other timer from falling due inside the window.
		GreenMail smtp = SMTP ? BenchEnvironment.smtpServer() : null;
		Map<String, String> settings = new HashMap<>(Map.of("nurture.journey.call-sla", "P1D"));
		if (smtp != null) {
			settings.putAll(BenchEnvironment.sendingTo(smtp));
		}
		try (BenchEnvironment env = BenchEnvironment.start(settings)) {
			report = run(env, smtp);
		}
		finally {
			if (smtp != null) {
				smtp.stop();
			}
		}
		System.out.println(report);
		System.out.printf("(whole run, start-up included: %.0f s)%n", (System.nanoTime() - began) / 1e9);
	}

	private static String run(BenchEnvironment env, GreenMail smtp) throws Exception {
		RuntimeService runtime = env.engine().getRuntimeService();
		ManagementService management = env.engine().getManagementService();
		TransactionTemplate transaction = env.bean(TransactionTemplate.class);
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

		// ---- the journeys' acknowledgement touches
		management.suspendJobDefinitionByProcessDefinitionKey(JOURNEY, true);
		log("setting up %d leads with a suspended acknowledgement job each", LEADS);
		long setupStart = System.nanoTime();
		String run = Long.toString(System.currentTimeMillis(), 36);
		java.util.Date followUp = java.util.Date.from(Instant.now().plus(Duration.ofDays(30)));
		inBatches(transaction, (i) -> {
			UUID id = UUID.randomUUID();
			insertLead(env, id, "ack-" + run + "-" + i + "@bench.example.com");
			runtime.createProcessInstanceByKey(JOURNEY)
				.businessKey(id.toString())
				.setVariable("leadId", id.toString())
				.setVariable("followUpDate", followUp)
				.startBeforeActivity(WAITING)
				.startBeforeActivity(STEP)
				.execute();
		});
		double touchSetupSeconds = (System.nanoTime() - setupStart) / 1e9;
		long suspended = management.createJobQuery().processDefinitionKey(JOURNEY).activityId(STEP).suspended().count();
		log("set up in %.0f s; %d suspended acknowledgement jobs", touchSetupSeconds, suspended);

		String made = "from touch where activity_id = '" + STEP + "' and channel = 'EMAIL' and status = '" + OUTCOME
				+ "'";
		String madeAt = SMTP ? "updated_at" : "created_at";
		Drain touches = Drain.run(env, probe, () -> management.activateJobDefinitionByProcessDefinitionKey(JOURNEY, true),
				"select count(*) " + made, "select max(" + madeAt + ") " + made, "select min(" + madeAt + ") " + made);
		long recorded = env.jdbc().queryForObject("select count(*) " + made, Long.class);
		long received = (smtp != null) ? smtp.getReceivedMessages().length : recorded;
		long journeyJobsLeft = waitForZero(env,
				"select count(*) from act_ru_job where process_def_key_ = '" + JOURNEY + "' and type_ = 'message'");
		double journeysEndedAfter = secondsAfter(env, touches.activated,
				"select max(end_time_) from act_hi_actinst where act_id_ = '" + ACKNOWLEDGED + "'");

		// ---- the raw async job rate
		management.suspendJobDefinitionByProcessDefinitionKey(RAW_KEY, true);
		log("setting up %d raw instances with a suspended async job each", LEADS);
		setupStart = System.nanoTime();
		inBatches(transaction, (i) -> runtime.startProcessInstanceByKey(RAW_KEY));
		double rawSetupSeconds = (System.nanoTime() - setupStart) / 1e9;
		Drain raw = Drain.run(env, probe, () -> management.activateJobDefinitionByProcessDefinitionKey(RAW_KEY, true),
				"select count(*) from act_hi_procinst where proc_def_key_ = '" + RAW_KEY + "' and end_time_ is not null",
				"select max(end_time_) from act_hi_procinst where proc_def_key_ = '" + RAW_KEY + "'",
				"select min(end_time_) from act_hi_procinst where proc_def_key_ = '" + RAW_KEY + "'");

		double touchesPerSecond = touches.perSecond();
		double rawPerSecond = raw.perSecond();
		double share = touchesPerSecond / rawPerSecond;
		List<String[]> rows = new ArrayList<>();
		rows.add(BenchEnvironment.row("touches " + (SMTP ? "sent by SMTP" : "recorded") + " (EMAIL acknowledgement), "
				+ LEADS + " due at once",
				BenchEnvironment.format(touchesPerSecond) + " touches/s", ">= 200/s",
				IntakeBenchmark.verdict(touches.done == LEADS && touchesPerSecond >= TARGET_TOUCHES_PER_SECOND)));
		rows.add(BenchEnvironment.row("raw async jobs (${true}), " + LEADS + " due at once",
				BenchEnvironment.format(rawPerSecond) + " jobs/s", "-", "-"));
		rows.add(BenchEnvironment.row("touches / raw jobs", BenchEnvironment.format(share * 100) + " %", ">= 80 %",
				IntakeBenchmark.verdict(touches.done == LEADS && share >= TARGET_SHARE_OF_RAW)));
		rows.add(BenchEnvironment.row("touches: all written after / first after",
				BenchEnvironment.format(touches.lastAfter) + " s / " + BenchEnvironment.format(touches.firstAfter)
						+ " s",
				"-", "-"));
		rows.add(BenchEnvironment.row("raw: all done after / first after",
				BenchEnvironment.format(raw.lastAfter) + " s / " + BenchEnvironment.format(raw.firstAfter) + " s", "-",
				"-"));
		rows.add(BenchEnvironment.row("touches " + OUTCOME + " / messages the SMTP server received",
				recorded + " / " + (SMTP ? String.valueOf(received) : "-"), LEADS + "",
				IntakeBenchmark.verdict(touches.done == LEADS && recorded == LEADS && received == LEADS)));
		rows.add(BenchEnvironment.row("acknowledgement branches ended after (one job per touch)",
				BenchEnvironment.format(journeysEndedAfter) + " s, " + journeyJobsLeft + " jobs left", "-",
				IntakeBenchmark.verdict(journeyJobsLeft == 0)));
		rows.add(BenchEnvironment.row("CPU-bound ceiling: touches / raw jobs (2 cores to themselves, estimate)",
				BenchEnvironment.format(touches.usage.cpuBoundCeiling(2)) + " / "
						+ BenchEnvironment.format(raw.usage.cpuBoundCeiling(2)) + " per s",
				">= 200/s", IntakeBenchmark.verdict(touches.usage.cpuBoundCeiling(2) >= TARGET_TOUCHES_PER_SECOND)));
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
		cpu.add(BenchEnvironment.row("raw async jobs", "", ""));
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

	/** Runs {@code work(i)} for i in 0..LEADS, in transactions of BATCH, on SETUP_THREADS threads. */
	private static void inBatches(TransactionTemplate transaction, IntConsumer work) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
		try {
			List<Future<?>> batches = new ArrayList<>();
			for (int from = 0; from < LEADS; from += BATCH) {
				int start = from;
				int end = Math.min(LEADS, from + BATCH);
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

	private static void insertLead(BenchEnvironment env, UUID id, String email) {
		Timestamp now = Timestamp.from(Instant.now());
		env.jdbc().update("""
				insert into lead (id, email, phone, first_name, last_name, company, title, industry, company_size,
				                  country, time_zone, source, campaign, consent_email, consent_sms, stage,
				                  engagement_score, created_at, updated_at)
				values (?, ?, '+4930901820', 'Ada', 'Lovelace', 'Analytical Engines', 'Head of Operations', 'software',
				        '51-200', 'DE', 'Europe/Berlin', 'webinar', 'q4-ops', true, false, 'NEW', 0, ?, ?)
				""", id, email, now, now);
	}

	private static long waitForZero(BenchEnvironment env, String countSql) throws InterruptedException {
		long deadline = System.nanoTime() + LIMIT.toNanos();
		long left;
		while ((left = env.jdbc().queryForObject(countSql, Long.class)) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(500);
		}
		return left;
	}

	static double secondsAfter(BenchEnvironment env, Instant from, String maxTimeSql) {
		Timestamp at = env.jdbc().queryForObject(maxTimeSql, Timestamp.class);
		return (at != null) ? Duration.between(from, at.toInstant()).toMillis() / 1000.0 : Double.NaN;
	}

	static void log(String format, Object... args) {
		System.out.printf("[bench] " + format + "%n", args);
	}

	/** Activate suspended jobs, then poll a count every 500 ms until all LEADS are done (bounded). */
	static final class Drain {

		Instant activated;

		long done;

		double firstAfter;

		double lastAfter;

		Probe.Usage usage;

		static Drain run(BenchEnvironment env, Probe probe, Runnable activate, String countSql, String lastSql,
				String firstSql) throws InterruptedException {
			Drain drain = new Drain();
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
			while ((drain.done = env.jdbc().queryForObject(countSql, Long.class)) < LEADS
					&& System.nanoTime() < deadline) {
				if (System.nanoTime() - lastLogged > 10_000_000_000L) {
					log("  %d of %d after %.0f s", drain.done, LEADS,
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
