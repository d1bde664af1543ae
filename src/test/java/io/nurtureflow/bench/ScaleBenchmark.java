package io.nurtureflow.bench;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.camunda.bpm.engine.RuntimeService;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 6: a million {@code lead-nurture} journeys waiting on timers in PostgreSQL, with the job
 * executor on as in production. Measures how long seeding takes, the heap after a full GC with
 * all of them waiting, the insight reports at that size, and how long 10,000 timers that fall due
 * at the same moment take to fire. Not a test: a {@code main} that prints a table and stops.
 * <p>
 * Seeding: leads, consent, touches and engagement as in {@link InsightQueryBenchmark} (bulk SQL);
 * then {@code bench.templates} journeys started through {@code RuntimeService} right at the
 * nurture cadence's wait for engagement (an event-based gateway with a timer and five message
 * catches, inside the cadence subprocess, under four event subprocesses), with the variables a
 * journey has there; their rate is measured. The rest are copies of those rows made with SQL
 * ({@link JourneyClones}), each for its own lead and with its own due date over the next 20 days.
 * <p>
 * The firing: 10,000 of the copied timers are set, with SQL, to fall due 5 s ahead, and
 * {@code ACT_RU_JOB} is analysed so that its statistics know their due dates, as a production
 * database's would have long before they came; nothing wakes the executor, so the time includes
 * its idle wait (up to {@code max-wait}). A timer that fires plans the next touch and stops at
 * the send step's async-before job, which the executor then also runs (the touch). Before the
 * measured 10,000, a warm-up of 1,000 other copied timers fires the same way and is not
 * measured, as a node that has run for a while has its code compiled and its fit decisions
 * remembered ({@code -Dbench.warmupDue=0} fires on a cold node). Defaults:
 * {@code -Dbench.journeys=100000 -Dbench.templates=2000 -Dbench.due=10000 -Dbench.warmupDue=1000
 * -Dbench.touchesPerLead=3 -Dbench.limitSeconds=600}; run with {@code -Xmx512m} to hold the app
 * to the heap. With {@code -Dbench.pg.dataDirectory=/some/dir} the seeded database is
 * kept, and the next run with it skips seeding and fires 10,000 other copied timers.
 */
public final class ScaleBenchmark {

	static final int JOURNEYS = Integer.getInteger("bench.journeys", 100_000);

	static final int TEMPLATES = Integer.getInteger("bench.templates", 2_000);

	static final int DUE = Integer.getInteger("bench.due", 10_000);

	/**
	 * Timers fired first, the same way, and not measured: the JIT's warm-up, and the fit decisions
	 * a node that has run for a while remembers (the other benchmarks warm up too).
	 */
	static final int WARMUP_DUE = Integer.getInteger("bench.warmupDue", 1_000);

	static final int TOUCHES_PER_LEAD = Integer.getInteger("bench.touchesPerLead", 3);

	static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.limitSeconds", 600));

	/** How often the firing is polled for its end. */
	static final Duration POLL = Duration.ofSeconds(5);

	static final double TARGET_FIRED_SECONDS = 60;

	static final long TARGET_HEAP_MIB = 512;

	/** Share of generated leads still in a journey (not customer, sales-qualified, disqualified, unsubscribed). */
	static final double IN_A_JOURNEY = 0.7;

	private ScaleBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchEnvironment.runAndPrint(Map.of("nurture.journey.call-sla", "P1D"),
				Map.of("max_wal_size", "8GB", "checkpoint_timeout", "30min"), ScaleBenchmark::run);
	}

	private static String run(BenchEnvironment env) throws Exception {
		JdbcTemplate jdbc = env.jdbc();
		StringBuilder out = new StringBuilder("\n==== ScaleBenchmark ====\n");
		out.append(BenchEnvironment.table(new String[] { "setting", "value" }, env.setting())).append('\n');
		List<String[]> rows = new ArrayList<>();
		out.append(seed(env, rows)).append('\n');

		long journeys = env.engine().getRuntimeService().createProcessInstanceQuery()
			.processDefinitionKey("lead-nurture").count();
		long timers = env.engine().getManagementService().createJobQuery().timers().count();
		rows.add(BenchEnvironment.row("journeys waiting (RuntimeService count) / timer jobs",
				String.format(java.util.Locale.ROOT, "%,d / %,d", journeys, timers), JOURNEYS + "",
				IntakeBenchmark.verdict(journeys >= JOURNEYS && timers >= JOURNEYS)));
		rows.add(BenchEnvironment.row("a copied journey as the engine sees it", copiedJourney(env), "-", "-"));
		out.append(BulkLoad.sizes(jdbc, tables())).append('\n');
		rows.add(heap("heap used after a full GC, all journeys waiting"));

		InsightRequests requests = new InsightRequests(env, InsightQueryBenchmark.ADMIN_PASSWORD, 3);
		List<String[]> reports = requests.all();
		rows.add(heap("heap used after a full GC, after the insight reports"));
		if (WARMUP_DUE > 0) {
			Firing warmUp = fire(env, WARMUP_DUE);
			rows.add(BenchEnvironment.row("warm-up first (not measured): " + WARMUP_DUE + " timers, all fired after",
					(warmUp.left == 0) ? BenchEnvironment.format(warmUp.last) + " s" : warmUp.left + " not fired", "-",
					"-"));
			// and the touches its timers queued, so that none of them runs inside the measured firing
			BenchEnvironment.countUntilNone(jdbc, POLL, System.nanoTime() + LIMIT.toNanos(),
					SpeedToFirstTouchBenchmark.DUE_JOBS + " and type_ = 'message'");
		}
		Firing firing = fire(env, DUE);
		rows.addAll(firing.rows());
		rows.add(heap("heap used after a full GC, after the firing"));

		out.append(BenchEnvironment.table(new String[] { "figure", "measured", "target", "verdict" }, rows));
		out.append('\n').append("Insight reports with ").append(String.format(java.util.Locale.ROOT, "%,d", journeys))
			.append(" journeys:\n").append(requests.report(reports));
		out.append("\nWhere the CPU went while the timers fired (per fired timer):\n");
		out.append(BenchEnvironment.table(new String[] { "where", "per timer", "cores" }, firing.usage.rows("timer")));
		if (firing.usage.statementsCounted()) {
			out.append("\nSQL that took PostgreSQL longest while the timers fired (calls, total ms, statement):\n");
			out.append(BenchEnvironment.table(new String[] { "calls", "ms", "statement" },
					firing.usage.topStatements()));
		}
		out.append("\nData directory on disk: ").append(dataDirectorySize(jdbc)).append('\n');
		out.append(Commands.rerun(ScaleBenchmark.class));
		return out.toString();
	}

	private static String seed(BenchEnvironment env, List<String[]> rows) throws Exception {
		Long existing = env.jdbc().queryForObject(
				"select count(*) from act_ru_execution where id_ = proc_inst_id_ and business_key_ is not null", Long.class);
		if (existing != null && existing >= JOURNEYS) {
			// a database kept with -Dbench.pg.dataDirectory: fire again without seeding again
			return "Seeding: skipped, the database already holds " + existing + " journeys (bench.pg.dataDirectory).\n";
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		int leads = (int) Math.ceil(JOURNEYS / IN_A_JOURNEY);
		TouchThroughputBenchmark.log("seeding %,d leads, %,d journeys (%,d through the engine)", leads, JOURNEYS,
				TEMPLATES);
		StringBuilder out = new StringBuilder();
		try (BulkLoad load = new BulkLoad(env.bean(DataSource.class))) {
			load.dropSecondaryIndexes(InsightDataSet.TABLES);
			new InsightDataSet(leads, (long) leads * TOUCHES_PER_LEAD, 365, now).seed(load);
			load.rebuildIndexes();
			load.fillInMilestones();
			load.vacuumAnalyze(InsightDataSet.TABLES);
			out.append("Seeding the lead store (bulk SQL): ").append(BenchEnvironment.format(load.seconds()))
				.append(" s\n").append(load.table());
		}
		double apiSeconds = startTemplates(env);
		rows.add(BenchEnvironment.row("journeys started through RuntimeService (2 threads, 50 per transaction)",
				String.format(java.util.Locale.ROOT, "%,d in %.1f s = %.0f/s", TEMPLATES, apiSeconds,
						TEMPLATES / apiSeconds),
				"-", "-"));
		rows.add(BenchEnvironment.row("  the same rate for " + String.format(java.util.Locale.ROOT, "%,d", JOURNEYS)
				+ " journeys (extrapolated)", BenchEnvironment.format(JOURNEYS / (TEMPLATES / apiSeconds) / 60) + " min",
				"-", "-"));
		JourneyClones clones = new JourneyClones(env.jdbc());
		clones.check();
		try (BulkLoad load = new BulkLoad(env.bean(DataSource.class))) {
			load.dropSecondaryIndexes(JourneyClones.TABLES);
			// due from two hours on: copying a million took up to 33 min, and a timer that fell due
			// meanwhile would have fired before the count of waiting timers
			clones.clone(load, JOURNEYS, now.plus(Duration.ofHours(2)));
			load.rebuildIndexes();
			load.vacuumAnalyze(JourneyClones.TABLES);
			out.append("\nCopying the engine's rows for the other journeys (bulk SQL): ")
				.append(BenchEnvironment.format(load.seconds())).append(" s\n").append(load.table());
			rows.add(BenchEnvironment.row("journeys copied with SQL (rows of the engine's own journeys)",
					String.format(java.util.Locale.ROOT, "%,d in %.0f s = %.0f/s", JOURNEYS - TEMPLATES, load.seconds(),
							(JOURNEYS - TEMPLATES) / load.seconds()),
					"-", "-"));
		}
		return out.toString();
	}

	/** The first TEMPLATES leads still in a journey get one through the engine, at the wait for engagement. */
	private static double startTemplates(BenchEnvironment env) throws Exception {
		RuntimeService runtime = env.engine().getRuntimeService();
		TransactionTemplate transaction = env.bean(TransactionTemplate.class);
		List<UUID> leads = env.jdbc().queryForList("select id from lead where stage not in " + InsightDataSet.ENDED
				+ " order by id limit ?", UUID.class, TEMPLATES);
		String[][] cadence = { { "EMAIL", "industry-insight", "P3D" }, { "EMAIL", "benchmark-report", "P7D" },
				{ "SMS", "check-in", "P7D" }, { "EMAIL", "checklist", "P14D" }, { "EMAIL", "case-study", "P14D" },
				{ "EMAIL", "video-walkthrough", "P14D" } };
		long start = System.nanoTime();
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<?>> batches = new ArrayList<>();
			for (int from = 0; from < leads.size(); from += 50) {
				List<UUID> batch = leads.subList(from, Math.min(leads.size(), from + 50));
				int first = from;
				batches.add(pool.submit(() -> transaction.executeWithoutResult((status) -> {
					for (int i = 0; i < batch.size(); i++) {
						String[] step = cadence[(first + i) % cadence.length];
						Map<String, Object> variables = new HashMap<>();
						variables.put("leadId", batch.get(i).toString());
						variables.put("leadScore", 20 + (first + i) % 60);
						variables.put("scoreBand", "WARM");
						variables.put("fitGrade", "B");
						variables.put("callAttempts", 3);
						variables.put("callOutcome", "no_answer");
						variables.put("cadenceStep", 1 + (first + i) % cadence.length);
						variables.put("touchChannel", step[0]);
						variables.put("touchContent", step[1]);
						variables.put("touchWait", step[2]);
						variables.put("cadenceDone", false);
						runtime.createProcessInstanceByKey("lead-nurture")
							.businessKey(batch.get(i).toString())
							.setVariables(variables)
							.startBeforeActivity("Gateway_WaitForEngagement")
							.execute();
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
		return (System.nanoTime() - start) / 1e9;
	}

	private static String copiedJourney(BenchEnvironment env) {
		String instance = env.jdbc().queryForObject(
				"select proc_inst_id_ from act_hi_procinst where proc_inst_id_ like '%-%-%-%-%-%' limit 1", String.class);
		var tree = env.engine().getRuntimeService().getActivityInstance(instance);
		var cadence = tree.getChildActivityInstances()[0];
		return cadence.getActivityId() + " > " + cadence.getChildActivityInstances()[0].getActivityId() + ", "
				+ env.engine().getRuntimeService().getVariables(instance).size() + " variables";
	}

	private static String[] heap(String what) {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
		return BenchEnvironment.row(what, used + " MiB (max " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)",
				"< " + TARGET_HEAP_MIB + " MiB", IntakeBenchmark.verdict(used < TARGET_HEAP_MIB));
	}

	/** {@code count} copied timers due together, then polled until all fired (bounded by LIMIT). */
	private static Firing fire(BenchEnvironment env, int count) throws InterruptedException {
		JdbcTemplate jdbc = env.jdbc();
		Probe probe = new Probe(jdbc);
		long touchesBefore = jdbc.queryForObject("select count(*) from touch", Long.class);
		jdbc.execute("create table bench_due as select id_ from act_ru_job where type_ = 'timer' and id_ like '%-%-%-%-%-%'"
				+ " order by md5(id_) limit " + count);
		Probe.Snapshot begin = probe.snapshot();
		Instant due = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
		int set = jdbc.update("update act_ru_job set duedate_ = ? where id_ in (select id_ from bench_due)",
				Timestamp.from(due));
		// In production these due dates would have been in the table's statistics long before they
		// came (analysed after 1 % of the table changed, db/postgresql/V8); moved a moment ago, they
		// are not, and the planner would read every due job on each acquisition. Sampled, a second.
		jdbc.execute("analyze act_ru_job");
		TouchThroughputBenchmark.log("%d timers fall due at %s; polling every %d s (at most %d s)", set, due,
				POLL.toSeconds(), LIMIT.toSeconds());
		long deadline = System.nanoTime() + LIMIT.toNanos();
		// The poll only says when to stop: the times reported come from the job log. Looking the
		// 10,000 ids up cost 80 ms of PostgreSQL a call at 100,000 journeys and 260 ms at a million,
		// taken from the firing it watches; the timers still waiting are found from the due-date
		// index instead (nothing else falls due at that instant). A timer whose job failed is due
		// again later: the exact count then waits for its retries as before.
		BenchEnvironment.countUntilNone(jdbc, POLL, deadline, "select count(*) from act_ru_job where duedate_ = ?",
				Timestamp.from(due));
		long left = BenchEnvironment.countUntilNone(jdbc, POLL, deadline,
				"select count(*) from act_ru_job where id_ in (select id_ from bench_due)");
		Firing firing = new Firing(count);
		firing.usage = probe.since(begin, count - left);
		firing.left = left;
		firing.first = secondsAfter(jdbc, due, "min");
		firing.last = secondsAfter(jdbc, due, "max");
		firing.failed = jdbc.queryForObject(
				"select count(*) from act_hi_job_log where job_state_ = 1 and job_id_ in (select id_ from bench_due)",
				Long.class);
		firing.incidents = jdbc.queryForObject("select count(*) from act_ru_incident", Long.class);
		firing.touches = jdbc.queryForObject("select count(*) from touch", Long.class) - touchesBefore;
		firing.sendsLeft = jdbc.queryForObject("select count(*) from act_ru_job where type_ = 'message'", Long.class);
		firing.acquisition = acquisition(jdbc);
		jdbc.execute("drop table bench_due");
		return firing;
	}

	private static double secondsAfter(JdbcTemplate jdbc, Instant due, String which) {
		Timestamp at = jdbc.queryForObject("select " + which + "(timestamp_) from act_hi_job_log where job_state_ = 2"
				+ " and job_id_ in (select id_ from bench_due)", Timestamp.class);
		return (at != null) ? Duration.between(due, at.toInstant()).toMillis() / 1000.0 : Double.NaN;
	}

	/** The job executor's acquisition statement as pg_stat_statements saw it while the timers fired. */
	private static String acquisition(JdbcTemplate jdbc) {
		List<String> found = jdbc.queryForList("""
				select calls || ' calls, mean ' || round(mean_exec_time::numeric, 1) || ' ms, max '
				       || round(max_exec_time::numeric, 1) || ' ms'
				from pg_stat_statements
				where query ilike '%from act_ru_job res%' and query ilike '%lock_exp_time_%'
				order by calls desc limit 1""", String.class);
		return found.isEmpty() ? "-" : found.get(0);
	}

	private static final class Firing {

		final int count;

		long left;

		double first;

		double last;

		long failed;

		long incidents;

		long touches;

		long sendsLeft;

		String acquisition;

		Probe.Usage usage;

		Firing(int count) {
			this.count = count;
		}

		List<String[]> rows() {
			List<String[]> rows = new ArrayList<>();
			rows.add(BenchEnvironment.row(this.count + " timers due together: all fired after the due time",
					(this.left == 0) ? BenchEnvironment.format(this.last) + " s" : this.left + " not fired in "
							+ LIMIT.toSeconds() + " s",
					"<= " + (long) TARGET_FIRED_SECONDS + " s",
					IntakeBenchmark.verdict(this.left == 0 && this.last <= TARGET_FIRED_SECONDS)));
			rows.add(BenchEnvironment.row("  first fired after the due time (the executor's idle wait)",
					BenchEnvironment.format(this.first) + " s", "-", "-"));
			rows.add(BenchEnvironment.row("  fired per second, first to last",
					BenchEnvironment.format((this.count - this.left) / Math.max(0.001, this.last - this.first)), "-",
					"-"));
			rows.add(BenchEnvironment.row("  failed timer jobs / incidents", this.failed + " / " + this.incidents,
					"0 / 0", IntakeBenchmark.verdict(this.failed == 0 && this.incidents == 0)));
			rows.add(BenchEnvironment.row("  touches written meanwhile / send jobs still queued",
					this.touches + " / " + this.sendsLeft, "-", "-"));
			rows.add(BenchEnvironment.row("  job acquisition statement (pg_stat_statements)", this.acquisition, "-",
					"-"));
			return rows;
		}

	}

	private static String dataDirectorySize(JdbcTemplate jdbc) {
		String directory = jdbc.queryForObject("show data_directory", String.class);
		try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(directory))) {
			long bytes = files.filter(java.nio.file.Files::isRegularFile).mapToLong((file) -> file.toFile().length()).sum();
			return String.format(java.util.Locale.ROOT, "%.1f GiB in %s (WAL included)", bytes / (double) (1L << 30),
					directory);
		}
		catch (java.io.IOException ex) {
			return "? (" + ex.getMessage() + ")";
		}
	}

	private static List<String> tables() {
		List<String> tables = new ArrayList<>(InsightDataSet.TABLES);
		tables.addAll(JourneyClones.TABLES);
		return tables;
	}

}
