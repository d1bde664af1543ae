package io.nurtureflow.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How fast the engine's history cleanup removes ended journeys on PostgreSQL, as a node runs it
 * ({@code HistoryCleanup}): whether one night's window keeps up with the journeys that end in a
 * day. The demo data ({@code NURTURE_DEMO}) first runs leads through the real journeys for
 * {@code bench.weeks} weeks; the journeys that ended there are the templates. Every history row
 * the engine wrote for them (each {@code ACT_HI_*} table and {@code ACT_GE_BYTEARRAY}, by root
 * process instance) is copied with SQL until {@code bench.journeys} ended journeys wait, their
 * own ids suffixed, their removal times spread over the day before. Then the cleanup is started as an administrator
 * would ({@code cleanUpHistoryAsync(true)}, so the window does not matter) and the job executor
 * runs it until no expired row is left; the templates and the running journeys, not yet expired,
 * must all still be there. Not a test: a {@code main} that prints a table and stops by itself.
 * <p>
 * {@code -Dbench.journeys=20000 -Dbench.weeks=12 -Dbench.leads=300}; the cleanup's own settings
 * as the application reads them, e.g. {@code -Dnurture.history-cleanup.parallelism=4} or
 * {@code -Dnurture.history-cleanup.batch-size=100}.
 */
public final class HistoryCleanupBenchmark {

	static final int JOURNEYS = Integer.getInteger("bench.journeys", 20_000);

	static final int WEEKS = Integer.getInteger("bench.weeks", 12);

	static final int LEADS = Integer.getInteger("bench.leads", 300);

	static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.limitSeconds", 1800));

	/** Columns ending in {@code id_} that name something shared (a diagram, a user), not the journey's own rows. */
	private static final List<String> SHARED_IDS = List.of("proc_def_id_", "deployment_id_", "job_def_id_",
			"tenant_id_", "user_id_", "group_id_", "act_id_", "activity_id_", "failed_activity_id_", "case_def_id_",
			"dec_def_id_", "dec_req_id_", "clause_id_", "rule_id_", "assigner_id_", "worker_id_", "batch_id_");

	private HistoryCleanupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		// the window off: the benchmark starts the cleanup itself, when the copies are in place
		BenchEnvironment.runAndPrint(
				Map.of("nurture.demo.load", "true", "nurture.demo.leads", String.valueOf(LEADS), "nurture.demo.weeks",
						String.valueOf(WEEKS), "nurture.history-cleanup.window", "off"),
				Map.of("max_wal_size", "8GB", "checkpoint_timeout", "30min"), HistoryCleanupBenchmark::run);
	}

	static String run(BenchEnvironment env) throws Exception {
		JdbcTemplate jdbc = env.jdbc();
		StringBuilder out = new StringBuilder("\n==== HistoryCleanupBenchmark ====\n");
		List<String[]> setting = env.setting();
		var engine = (ProcessEngineConfigurationImpl) env.engine().getProcessEngineConfiguration();
		setting.add(BenchEnvironment.row("history cleanup: parallelism, batch size",
				engine.getHistoryCleanupDegreeOfParallelism() + ", " + engine.getHistoryCleanupBatchSize()));
		out.append(BenchEnvironment.table(new String[] { "setting", "value" }, setting)).append('\n');

		List<String> tables = historyTables(jdbc);
		Map<String, Long> keptBefore = counts(jdbc, tables, "removal_time_ is null or removal_time_ > localtimestamp");
		String templates = """
				select ID_ from ACT_HI_PROCINST where END_TIME_ is not null and ID_ = ROOT_PROC_INST_ID_""";
		long templateCount = jdbc.queryForObject("select count(*) from (" + templates + ") t", Long.class);
		if (templateCount == 0) {
			throw new IllegalStateException("The demo ended no journey; give it more weeks (-Dbench.weeks)");
		}
		List<String[]> ends = new ArrayList<>();
		jdbc.query("""
				select coalesce(p.END_ACT_ID_, '(none)'), p.PROC_DEF_KEY_, count(*) from ACT_HI_PROCINST p
				where p.ID_ in (%s) group by 1, 2 order by 3 desc""".formatted(templates),
				(rs) -> {
					ends.add(BenchEnvironment.row(rs.getString(2) + " at " + rs.getString(1), rs.getString(3)));
				});
		out.append("Template journeys (ended in the demo), by where they ended:\n")
			.append(BenchEnvironment.table(new String[] { "journey and end", "journeys" }, ends))
			.append('\n');

		BulkLoad load = new BulkLoad(jdbc.getDataSource());
		long copiedRows;
		try {
			copiedRows = copy(load, tables, templates, JOURNEYS);
			load.vacuumAnalyze(tables);
		}
		finally {
			load.close();
		}
		out.append("Seeding:\n").append(load.table()).append('\n');
		out.append(BulkLoad.sizes(jdbc, tables)).append('\n');

		String expired = "removal_time_ <= localtimestamp";
		Map<String, Long> expiredBefore = counts(jdbc, tables, expired);
		long expiredRows = expiredBefore.values().stream().mapToLong(Long::longValue).sum();
		long expiredJourneys = expiredBefore.get("act_hi_procinst");
		Probe probe = new Probe(jdbc);
		Probe.Snapshot start = probe.snapshot();
		long startNanos = System.nanoTime();
		env.engine().getHistoryService().cleanUpHistoryAsync(true);
		// tables that still hold an expired row, each looked up in its removal-time index; every 10 s,
		// as the look walks the index entries of rows deleted and not yet vacuumed (every second it
		// took 15 % of PostgreSQL's time)
		String stillExpired = tables.stream()
			.map((table) -> "(select count(*) from (select 1 from " + table + " where " + expired + " limit 1) " + table
					+ ")")
			.collect(Collectors.joining(" + ", "select ", ""));
		long busy = BenchEnvironment.countUntilNone(jdbc, Duration.ofSeconds(10), startNanos + LIMIT.toNanos(),
				stillExpired);
		double seconds = (System.nanoTime() - startNanos) / 1e9;
		Probe.Usage usage = probe.since(start, expiredJourneys);
		long rowsLeft = counts(jdbc, tables, expired).values().stream().mapToLong(Long::longValue).sum();
		Map<String, Long> keptAfter = counts(jdbc, tables, "removal_time_ is null or removal_time_ > localtimestamp");
		long runs = jdbc.queryForObject(
				"select count(*) from ACT_HI_JOB_LOG where JOB_DEF_TYPE_ = 'history-cleanup' and JOB_STATE_ = 2",
				Long.class);

		List<String[]> rows = new ArrayList<>();
		rows.add(BenchEnvironment.row("ended journeys expired (copies)", String.format("%,d", expiredJourneys)));
		rows.add(BenchEnvironment.row("their history rows, all tables", String.format("%,d", expiredRows)
				+ String.format(" (%.1f a journey; %,d copied)", (double) expiredRows / expiredJourneys, copiedRows)));
		rows.add(BenchEnvironment.row("every expired row gone after", BenchEnvironment.format(seconds) + " s"
				+ ((busy > 0) ? " (LIMIT REACHED, cleanup still running)" : "")
				+ ((rowsLeft > 0) ? String.format(" (NOT ALL: %,d expired rows left)", rowsLeft) : "")));
		rows.add(BenchEnvironment.row("ended journeys removed per second",
				BenchEnvironment.format(expiredJourneys / seconds)));
		rows.add(BenchEnvironment.row("  per hour of the window",
				String.format("%,.0f", expiredJourneys / seconds * 3600)));
		rows.add(BenchEnvironment.row("history rows removed per second",
				String.format("%,.0f", expiredRows / seconds)));
		rows.add(BenchEnvironment.row("successful cleanup job runs", String.valueOf(runs)));
		rows.add(BenchEnvironment.row("rows not expired: before / after (must be equal)",
				keptBefore.values().stream().mapToLong(Long::longValue).sum() + " / "
						+ keptAfter.values().stream().mapToLong(Long::longValue).sum()));
		rows.addAll(usage.rows("journey"));
		out.append(BenchEnvironment.table(new String[] { "figure", "value", "" }, pad(rows))).append('\n');
		if (!keptBefore.equals(keptAfter)) {
			out.append("!! rows that had not expired changed: ").append(keptBefore).append(" -> ").append(keptAfter)
				.append('\n');
		}
		if (!usage.topStatements().isEmpty()) {
			out.append("Statements that took PostgreSQL longest:\n")
				.append(BenchEnvironment.table(new String[] { "calls", "ms", "statement" }, usage.topStatements()))
				.append('\n');
		}
		out.append(Commands.rerun(HistoryCleanupBenchmark.class));
		return out.toString();
	}

	/** The engine's tables that hold a journey's history: those with a root process instance and a removal time. */
	private static List<String> historyTables(JdbcTemplate jdbc) {
		return jdbc.queryForList("""
				select c.table_name from information_schema.columns c
				join information_schema.columns r on r.table_schema = c.table_schema and r.table_name = c.table_name
				 and r.column_name = 'removal_time_'
				where c.table_schema = current_schema() and c.column_name = 'root_proc_inst_id_'
				  and (c.table_name like 'act\\_hi\\_%' or c.table_name = 'act_ge_bytearray')
				order by 1""", String.class);
	}

	/**
	 * Copies every history row of the template journeys until {@code journeys} copies exist, copy
	 * {@code j} of template {@code j mod templates}, with its own ids suffixed {@code -j} and its
	 * removal time {@code j mod 1440} minutes before a day ago.
	 */
	private static long copy(BulkLoad load, List<String> tables, String templates, int journeys) throws SQLException {
		String zone = TimeZone.getDefault().getID();
		load.execute("create temporary table bench_template as"
				+ " select row_number() over (order by ID_) - 1 as k, ID_ as pi from (" + templates + ") t");
		long count = load.count("select count(*) from bench_template");
		load.execute("""
				create temporary table bench_copy as
				select j, t.pi as template from generate_series(1, %d) j join bench_template t on t.k = j %% %d"""
			.formatted(journeys, count));
		load.execute("create index on bench_copy (template)");
		load.execute("analyze bench_copy");
		String removal = "(now() at time zone '" + zone + "') - interval '1 day'";
		long rows = 0;
		for (String table : tables) {
			List<String> columns = new ArrayList<>();
			List<String> values = new ArrayList<>();
			for (var column : load.columns(table).entrySet()) {
				String name = column.getKey();
				columns.add(name);
				if (name.equals("removal_time_")) {
					// spread over the day before, as journeys end through a day: the parallel cleanup
					// jobs split the rows by the minute of their removal time
					values.add(removal + " - (c.j % 1440) * interval '1 minute'");
				}
				else if (name.endsWith("id_") && !SHARED_IDS.contains(name) && column.getValue().contains("char")) {
					values.add("pg_temp.clone_id(src." + name + ", c.j)");
				}
				else {
					values.add("src." + name);
				}
			}
			rows += load.update("copies: " + table, "insert into " + table + " (" + String.join(", ", columns)
					+ ") select " + String.join(", ", values) + " from " + table
					+ " src join bench_copy c on c.template = src.root_proc_inst_id_");
		}
		return rows;
	}

	/** Rows per table that match {@code where}, leaving out the log of the cleanup job's own runs. */
	private static Map<String, Long> counts(JdbcTemplate jdbc, List<String> tables, String where) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : tables) {
			String own = table.equals("act_hi_job_log") ? " and job_def_type_ is distinct from 'history-cleanup'" : "";
			counts.put(table,
					jdbc.queryForObject("select count(*) from " + table + " where (" + where + ")" + own, Long.class));
		}
		return counts;
	}

	private static List<String[]> pad(List<String[]> rows) {
		return rows.stream().map((row) -> (row.length == 3) ? row : new String[] { row[0], row[1], "" }).toList();
	}

}
