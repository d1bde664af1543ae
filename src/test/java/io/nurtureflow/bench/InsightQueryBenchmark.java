package io.nurtureflow.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;


import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How fast the insight reports answer a manager on PostgreSQL with a year of data: 100,000 leads
 * and 1,000,000 touches by default, with their consent, engagement and the engine's journey history
 * ({@link InsightDataSet}, {@link JourneyHistoryDataSet}), seeded with bulk SQL. Every report of
 * the JSON API a manager's pages call ({@code /insights/api/...}, logged in to Cockpit as the
 * administrator) is asked for the default period (the last 90 days) and for the last 30 days, and
 * a few lead timelines, and the funnel over the whole data set, the one period that holds its
 * churned customers: once cold (the first request after seeding) and then repeatedly; the
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

	static final String ADMIN_PASSWORD = "bench-admin-secret";

	private InsightQueryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		// No journeys run here; the executor would only compete with the queries.
		BenchEnvironment.runAndPrint(Map.of("camunda.bpm.job-execution.enabled", "false"),
				Map.of("max_wal_size", "8GB", "checkpoint_timeout", "30min"), InsightQueryBenchmark::run);
	}

	static String run(BenchEnvironment env) throws Exception {
		JdbcTemplate jdbc = env.jdbc();
		StringBuilder out = new StringBuilder("\n==== InsightQueryBenchmark ====\n");
		out.append(BenchEnvironment.table(new String[] { "setting", "value" }, env.setting())).append('\n');
		out.append(seed(env)).append('\n');
		out.append(BulkLoad.sizes(jdbc, tables())).append('\n');
		InsightRequests requests = new InsightRequests(env, ADMIN_PASSWORD, REPETITIONS);
		List<String[]> reports = requests.all();
		reports.add(requests.funnelOver(DAYS));
		out.append(requests.report(reports));
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
		List<String> tables = tables();
		try (BulkLoad load = new BulkLoad(env.bean(DataSource.class))) {
			load.dropSecondaryIndexes(tables);
			new InsightDataSet(LEADS, TOUCHES, DAYS, now).seed(load);
			new JourneyHistoryDataSet(now).seed(load);
			load.rebuildIndexes();
			load.fillInMilestones();
			load.vacuumAnalyze(tables);
			return "Seeding (bulk SQL on one connection, foreign-key triggers off, secondary indexes built after the"
					+ " load, then VACUUM ANALYZE as autovacuum would do): " + BenchEnvironment.format(load.seconds())
					+ " s in all\n" + load.table();
		}
	}

	private static List<String> tables() {
		List<String> tables = new ArrayList<>(InsightDataSet.TABLES);
		tables.addAll(JourneyHistoryDataSet.TABLES);
		return tables;
	}

}
