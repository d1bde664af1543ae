package io.nurtureflow.bench;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.support.WebappSession;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How fast the insight reports answer a manager on PostgreSQL with a year of data: 100,000 leads
 * and 1,000,000 touches by default, with their consent, engagement and the engine's journey history
 * ({@link InsightDataSet}, {@link JourneyHistoryDataSet}), seeded with bulk SQL. Every report of
 * the JSON API a manager's pages call ({@code /insights/api/...}, logged in to Cockpit as the
 * administrator) is asked for the default period (the last 90 days) and for the last 30 days, and
 * a few lead timelines: once cold (the first request after seeding) and then repeatedly; the
 * database time per request comes from {@code pg_stat_statements}. Each answer is checked against
 * the data set (the leads in the period, the touches that reached a lead). Not a test: a
 * {@code main} that prints a table and stops by itself.
 * <p>
 * {@code -Dbench.leads=100000 -Dbench.touches=1000000 -Dbench.days=365 -Dbench.repetitions=5}
 * change the size and the repetitions; {@code -Dbench.pg.dataDirectory=/some/dir} keeps the
 * seeded database for the next run (which then skips seeding).
 */
public final class InsightQueryBenchmark {

	static final int LEADS = Integer.getInteger("bench.leads", 100_000);

	static final long TOUCHES = Long.getLong("bench.touches", 1_000_000);

	static final int DAYS = Integer.getInteger("bench.days", 365);

	static final int REPETITIONS = Integer.getInteger("bench.repetitions", 5);

	static final double TARGET_MILLIS = 1000;

	static final String ADMIN_PASSWORD = "bench-admin-secret";

	private static final ObjectMapper JSON = new ObjectMapper();

	private InsightQueryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		long began = System.nanoTime();
		String report;
		// No journeys run here; the executor would only compete with the queries.
		try (BenchEnvironment env = BenchEnvironment.start(Map.of("camunda.bpm.job-execution.enabled", "false"),
				Map.of("max_wal_size", "8GB", "checkpoint_timeout", "30min"))) {
			report = run(env);
		}
		System.out.println(report);
		System.out.printf("(whole run, start-up included: %.0f s)%n", (System.nanoTime() - began) / 1e9);
	}

	static String run(BenchEnvironment env) throws Exception {
		JdbcTemplate jdbc = env.jdbc();
		StringBuilder out = new StringBuilder("\n==== InsightQueryBenchmark ====\n");
		out.append(BenchEnvironment.table(new String[] { "setting", "value" }, env.setting())).append('\n');
		out.append(seed(env)).append('\n');
		out.append(BenchEnvironment.table(new String[] { "table", "rows", "size with indexes" }, sizes(jdbc)));
		out.append("database size: ").append(jdbc.queryForObject(
				"select pg_size_pretty(pg_database_size(current_database()))", String.class)).append("\n\n");

		WebappSession manager = new WebappSession(env.port());
		int login = manager.login("admin", ADMIN_PASSWORD, "cockpit");
		if (login != 200) {
			throw new IllegalStateException("Cockpit login as admin answered " + login);
		}
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		Timer timer = new Timer(manager, jdbc);
		List<String[]> rows = new ArrayList<>();
		for (Window window : List.of(new Window("90 days (default)", "", today.minusDays(90), today),
				new Window("30 days", "from=" + today.minusDays(29) + "&to=" + today, today.minusDays(29), today))) {
			rows.addAll(reports(timer, jdbc, window));
		}
		rows.add(timer.time("journey steps (all time)", "/insights/api/journey-steps", (json) -> json.size() > 0,
				"steps listed"));
		for (String lead : sampleLeads(jdbc)) {
			long expected = timelineEntries(jdbc, lead);
			rows.add(timer.time("lead timeline (" + expected + " entries)", "/insights/api/leads/" + lead + "/timeline",
					(json) -> json.get("entries").size() == expected, "entries = captured + touches + events + consent + tasks"));
		}
		out.append("Each request: first (cold, right after seeding), then median and max of ").append(REPETITIONS)
			.append(" more; database time is the mean per request from pg_stat_statements.\n");
		out.append(BenchEnvironment.table(new String[] { "report", "period", "first ms", "median ms", "max ms",
				"database ms", "answer", "checked against the data set", "under 1 s" }, rows));
		long over = rows.stream().filter((row) -> !row[8].equals("ok")).count();
		out.append('\n').append((over == 0) ? "Every report answered in under 1 s (first and repeated).\n"
				: "OVER 1 s: " + over + " of " + rows.size() + " reports.\n");
		out.append(Commands.rerun(InsightQueryBenchmark.class));
		return out.toString();
	}

	private static String seed(BenchEnvironment env) throws Exception {
		JdbcTemplate jdbc = env.jdbc();
		Long existing = jdbc.queryForObject("select count(*) from lead", Long.class);
		if (existing != null && existing > 0) {
			return "Seeding: skipped, the database already holds " + existing + " leads (bench.pg.dataDirectory).\n";
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		TouchThroughputBenchmark.log("seeding %,d leads and about %,d touches over %d days", LEADS, TOUCHES, DAYS);
		List<String> tables = new ArrayList<>(InsightDataSet.TABLES);
		tables.addAll(JourneyHistoryDataSet.TABLES);
		try (BulkLoad load = new BulkLoad(env.bean(DataSource.class))) {
			load.dropSecondaryIndexes(tables);
			new InsightDataSet(LEADS, TOUCHES, DAYS, now).seed(load);
			new JourneyHistoryDataSet(now).seed(load);
			load.rebuildIndexes();
			load.vacuumAnalyze(tables);
			List<String[]> steps = new ArrayList<>();
			load.steps().forEach((step) -> steps.add(BenchEnvironment.row(step.what(),
					String.format(java.util.Locale.ROOT, "%,d", step.rows()), BenchEnvironment.format(step.seconds()))));
			return "Seeding (bulk SQL on one connection, foreign-key triggers off, secondary indexes built after the"
					+ " load, then VACUUM ANALYZE as autovacuum would do): " + BenchEnvironment.format(load.seconds())
					+ " s in all\n" + BenchEnvironment.table(new String[] { "step", "rows", "s" }, steps);
		}
	}

	private static List<String[]> sizes(JdbcTemplate jdbc) {
		List<String[]> rows = new ArrayList<>();
		List<String> tables = new ArrayList<>(InsightDataSet.TABLES);
		tables.addAll(JourneyHistoryDataSet.TABLES);
		for (String table : tables) {
			rows.add(BenchEnvironment.row(table,
					String.format(java.util.Locale.ROOT, "%,d", jdbc.queryForObject("select count(*) from " + table, Long.class)),
					jdbc.queryForObject("select pg_size_pretty(pg_total_relation_size(?))", String.class, table)));
		}
		return rows;
	}

	private record Window(String name, String query, LocalDate from, LocalDate to) {

		String path(String report) {
			return "/insights/api/" + report + (this.query.isEmpty() ? "" : "?" + this.query);
		}

		String path(String report, String parameter) {
			return "/insights/api/" + report + "?" + parameter + (this.query.isEmpty() ? "" : "&" + this.query);
		}

		Timestamp start() {
			return Timestamp.from(this.from.atStartOfDay(ZoneOffset.UTC).toInstant());
		}

		Timestamp end() {
			return Timestamp.from(this.to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
		}

	}

	private static List<String[]> reports(Timer timer, JdbcTemplate jdbc, Window window) throws Exception {
		long leads = jdbc.queryForObject("select count(*) from lead where created_at >= ? and created_at < ?",
				Long.class, window.start(), window.end());
		long reached = jdbc.queryForObject("""
				select count(*) from touch where created_at >= ? and created_at < ?
				and status in ('RECORDED', 'SENT', 'DELIVERED')""", Long.class, window.start(), window.end());
		List<String[]> rows = new ArrayList<>();
		rows.add(timer.time("funnel", window.name, window.path("funnel"),
				(json) -> json.get("stages").get(0).get("leads").asLong() == leads, "new = " + leads + " leads"));
		rows.add(timer.time("speed to lead", window.name, window.path("speed-to-lead"),
				(json) -> sum(json.get("byHour"), (row) -> row.get("leads").asLong()) == leads,
				"leads by hour add up to " + leads));
		for (String by : List.of("industry", "companySize", "source", "campaign", "grade")) {
			rows.add(timer.time("who converts by " + by, window.name, window.path("who-converts", "by=" + by),
					(json) -> sum(json, (row) -> row.get("leads").asLong()) == leads, "groups add up to " + leads));
		}
		rows.add(timer.time("channels", window.name, window.path("channels"),
				(json) -> sum(json, (row) -> row.get("sent").asLong()) == reached,
				"sent adds up to " + reached + " touches"));
		return rows;
	}

	private static long sum(JsonNode array, ToLongFunction<JsonNode> value) {
		long sum = 0;
		for (JsonNode row : array) {
			sum += value.applyAsLong(row);
		}
		return sum;
	}

	/** The lead with the most touches, a lead with the median number, and the newest lead. */
	private static List<String> sampleLeads(JdbcTemplate jdbc) {
		return jdbc.queryForList("""
				(select lead_id::text from touch group by lead_id order by count(*) desc, lead_id limit 1)
				union all
				(select lead_id::text from touch group by lead_id order by count(*), lead_id
				 offset (select count(distinct lead_id) / 2 from touch) limit 1)
				union all
				(select id::text from lead order by created_at desc limit 1)""", String.class);
	}

	private static long timelineEntries(JdbcTemplate jdbc, String lead) {
		return jdbc.queryForObject("""
				select 1 + (select count(*) from touch where lead_id = cast(? as uuid))
				         + (select count(*) from engagement_event where lead_id = cast(? as uuid))
				         + (select count(*) from consent where lead_id = cast(? as uuid))
				         + (select count(*) from act_hi_taskinst k join act_hi_procinst p on p.id_ = k.proc_inst_id_
				            where p.business_key_ = ?)""", Long.class, lead, lead, lead, lead);
	}

	/** Times one report over HTTP: a first request, then REPETITIONS more with pg_stat_statements counting. */
	private static final class Timer {

		private final WebappSession session;

		private final JdbcTemplate jdbc;

		Timer(WebappSession session, JdbcTemplate jdbc) {
			this.session = session;
			this.jdbc = jdbc;
		}

		String[] time(String report, String path, Check check, String expectation) throws Exception {
			return time(report, "-", path, check, expectation);
		}

		String[] time(String report, String period, String path, Check check, String expectation) throws Exception {
			long start = System.nanoTime();
			HttpResponse<String> first = this.session.get(path);
			double firstMillis = (System.nanoTime() - start) / 1e6;
			if (first.statusCode() != 200) {
				throw new IllegalStateException(path + " answered " + first.statusCode() + ": " + first.body());
			}
			boolean right = check.holds(JSON.readTree(first.body()));
			this.jdbc.queryForObject("select pg_stat_statements_reset()", Object.class);
			long[] nanos = new long[REPETITIONS];
			for (int i = 0; i < REPETITIONS; i++) {
				start = System.nanoTime();
				this.session.get(path);
				nanos[i] = System.nanoTime() - start;
			}
			Double database = this.jdbc.queryForObject("""
					select sum(total_exec_time) from pg_stat_statements
					where query not like '%pg_stat_statements%'""", Double.class);
			Arrays.sort(nanos);
			double median = BenchEnvironment.percentileMillis(nanos, 0.5);
			double max = BenchEnvironment.percentileMillis(nanos, 1.0);
			TouchThroughputBenchmark.log("%-32s %-18s first %7.1f ms, median %7.1f ms, max %7.1f ms", report, period,
					firstMillis, median, max);
			boolean fast = Math.max(firstMillis, max) < TARGET_MILLIS;
			return BenchEnvironment.row(report, period, BenchEnvironment.format(firstMillis),
					BenchEnvironment.format(median), BenchEnvironment.format(max),
					(database != null) ? BenchEnvironment.format(database / REPETITIONS) : "-",
					String.format(java.util.Locale.ROOT, "%,d B", first.body().length()), (right ? "ok: " : "WRONG: ") + expectation,
					fast ? "ok" : "OVER 1 s");
		}

	}

	@FunctionalInterface
	private interface Check {

		boolean holds(JsonNode answer);

	}

}
