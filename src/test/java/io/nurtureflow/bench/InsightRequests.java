package io.nurtureflow.bench;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.support.WebappSession;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every insight report a manager's pages ask for, over HTTP as the administrator logged in to
 * Cockpit: for the default period (the last 90 days) and the last 30 days, journey steps, and a
 * few lead timelines. Each is asked once cold and then repeatedly; pg_stat_statements gives the
 * database time per request; each answer is checked against the data in the database.
 */
final class InsightRequests {

	static final double TARGET_MILLIS = 1000;

	static final String[] HEADER = { "report", "period", "first ms", "median ms", "max ms", "database ms", "answer",
			"checked against the data set", "under 1 s" };

	private static final ObjectMapper JSON = new ObjectMapper();

	private final WebappSession session;

	private final JdbcTemplate jdbc;

	private final int repetitions;

	InsightRequests(BenchEnvironment env, String adminPassword, int repetitions) {
		this.session = new WebappSession(env.port());
		this.jdbc = env.jdbc();
		this.repetitions = repetitions;
		int login = this.session.login("admin", adminPassword, "cockpit");
		if (login != 200) {
			throw new IllegalStateException("Cockpit login as admin answered " + login);
		}
	}

	/** All the reports, one row each. */
	List<String[]> all() throws Exception {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		List<String[]> rows = new ArrayList<>();
		for (Window window : List.of(new Window("90 days (default)", "", today.minusDays(90), today),
				new Window("30 days", "from=" + today.minusDays(29) + "&to=" + today, today.minusDays(29), today))) {
			rows.addAll(reports(window));
		}
		rows.add(time("journey steps (all time)", "-", "/insights/api/journey-steps", (json) -> json.size() > 0,
				"steps listed"));
		for (String lead : sampleLeads()) {
			long expected = timelineEntries(lead);
			rows.add(time("lead timeline (" + expected + " entries)", "-", "/insights/api/leads/" + lead + "/timeline",
					(json) -> json.get("entries").size() == expected,
					"entries = captured + touches + events + consent + stages + journeys + tasks"));
		}
		return rows;
	}

	/** The table and a verdict line. */
	String report(List<String[]> rows) {
		long over = rows.stream().filter((row) -> !row[8].equals("ok")).count();
		return "Each request: first (cold), then median and max of " + this.repetitions
				+ " more; database time is the mean per request from pg_stat_statements.\n"
				+ BenchEnvironment.table(HEADER, rows) + '\n'
				+ ((over == 0) ? "Every report answered in under 1 s (first and repeated).\n"
						: "OVER 1 s: " + over + " of " + rows.size() + " reports.\n");
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

	/**
	 * The funnel over the last {@code days} (at most the two years a period may span): the data
	 * set's churned customers are ten months or more past their capture, so only a period that
	 * long counts them.
	 */
	String[] funnelOver(int days) throws Exception {
		int span = Math.min(days, 731);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate from = today.minusDays(span - 1);
		return funnel(new Window(span + " days", "from=" + from + "&to=" + today, from, today));
	}

	private String[] funnel(Window window) throws Exception {
		long leads = this.jdbc.queryForObject("select count(*) from lead where created_at >= ? and created_at < ?",
				Long.class, window.start(), window.end());
		long contacted = this.jdbc.queryForObject("""
				select count(*) from lead l where l.created_at >= ? and l.created_at < ?
				and exists (select 1 from touch t where t.lead_id = l.id and t.status in ('RECORDED', 'SENT', 'DELIVERED'))""",
				Long.class, window.start(), window.end());
		long churned = this.jdbc.queryForObject(
				"select count(*) from lead where stage = 'CHURNED' and created_at >= ? and created_at < ?", Long.class,
				window.start(), window.end());
		// the leads that reached SQL, by the stage they are at or left at: the data set's milestones
		long salesQualified = this.jdbc.queryForObject("""
				select count(*) from lead where created_at >= ? and created_at < ?
				and (stage in ('SQL', 'CUSTOMER', 'CHURNED') or (stage = 'DISQUALIFIED' and sql_at is not null))""",
				Long.class, window.start(), window.end());
		return time("funnel", window.name, window.path("funnel"),
				(json) -> stage(json, "new") == leads && stage(json, "contacted") == contacted
						&& stage(json, "churned") == churned && stage(json, "sql") == salesQualified,
				"new = " + leads + ", contacted = " + contacted + ", churned = " + churned + ", sql = "
						+ salesQualified);
	}

	private static long stage(JsonNode funnel, String stage) {
		for (JsonNode row : funnel.get("stages")) {
			if (row.get("stage").asText().equals(stage)) {
				return row.get("leads").asLong();
			}
		}
		return -1;
	}

	private List<String[]> reports(Window window) throws Exception {
		long leads = this.jdbc.queryForObject("select count(*) from lead where created_at >= ? and created_at < ?",
				Long.class, window.start(), window.end());
		List<String[]> rows = new ArrayList<>();
		rows.add(funnel(window));
		rows.add(time("speed to lead", window.name, window.path("speed-to-lead"),
				(json) -> sum(json.get("byHour"), (row) -> row.get("leads").asLong()) == leads,
				"leads by hour add up to " + leads));
		for (String by : List.of("industry", "companySize", "source", "campaign", "grade")) {
			rows.add(time("who converts by " + by, window.name, window.path("who-converts", "by=" + by),
					(json) -> sum(json, (row) -> row.get("leads").asLong()) == leads, "groups add up to " + leads));
		}
		// journeys that were under way before the benchmark may add touches while it runs
		long reached = reachedTouches(window);
		rows.add(time("channels", window.name, window.path("channels"), (json) -> {
			long sent = sum(json, (row) -> row.get("sent").asLong());
			return sent >= reached && sent <= reachedTouches(window);
		}, "sent adds up to the " + reached + " touches (or the few written meanwhile)"));
		return rows;
	}

	private long reachedTouches(Window window) {
		return this.jdbc.queryForObject("""
				select count(*) from touch where created_at >= ? and created_at < ?
				and status in ('RECORDED', 'SENT', 'DELIVERED')""", Long.class, window.start(), window.end());
	}

	private static long sum(JsonNode array, ToLongFunction<JsonNode> value) {
		long sum = 0;
		for (JsonNode row : array) {
			sum += value.applyAsLong(row);
		}
		return sum;
	}

	/** The lead with the most touches, a lead with the median number, and the newest lead. */
	private List<String> sampleLeads() {
		return this.jdbc.queryForList("""
				(select lead_id::text from touch group by lead_id order by count(*) desc, lead_id limit 1)
				union all
				(select lead_id::text from touch group by lead_id order by count(*), lead_id
				 offset (select count(distinct lead_id) / 2 from touch) limit 1)
				union all
				(select id::text from lead order by created_at desc limit 1)""", String.class);
	}

	private long timelineEntries(String lead) {
		return this.jdbc.queryForObject("""
				select 1 + (select count(*) from touch where lead_id = cast(? as uuid))
				         + (select count(*) from engagement_event where lead_id = cast(? as uuid))
				         + (select count(*) from consent where lead_id = cast(? as uuid))
				         + (select count(*) from email_resubscription where lead_id = cast(? as uuid))
				         + (select count(mql_at) + count(sql_at) + count(customer_at) + count(churned_at)
				                   + count(disqualified_at) from lead where id = cast(? as uuid))
				         + (select count(*) + count(end_time_) from act_hi_procinst where business_key_ = ?)
				         + (select count(*) from act_hi_taskinst k join act_hi_procinst p on p.id_ = k.proc_inst_id_
				            where p.business_key_ = ?)""", Long.class, lead, lead, lead, lead, lead, lead, lead);
	}

	/** Times one report: a first request, then the repetitions with pg_stat_statements counting. */
	private String[] time(String report, String period, String path, Check check, String expectation)
			throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> first = this.session.get(path);
		double firstMillis = (System.nanoTime() - start) / 1e6;
		if (first.statusCode() != 200) {
			throw new IllegalStateException(path + " answered " + first.statusCode() + ": " + first.body());
		}
		boolean right = check.holds(JSON.readTree(first.body()));
		this.jdbc.queryForObject("select pg_stat_statements_reset()", Object.class);
		long[] nanos = new long[this.repetitions];
		for (int i = 0; i < this.repetitions; i++) {
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
				(database != null) ? BenchEnvironment.format(database / this.repetitions) : "-",
				String.format(java.util.Locale.ROOT, "%,d B", first.body().length()),
				(right ? "ok: " : "WRONG: ") + expectation, fast ? "ok" : "OVER 1 s");
	}

	@FunctionalInterface
	private interface Check {

		boolean holds(JsonNode answer);

	}

}
