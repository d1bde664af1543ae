package io.nurtureflow.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * One PostgreSQL session that seeds a benchmark's data set with plain SQL, the way one loads a
 * database in bulk: foreign-key triggers off for the session ({@code session_replication_role =
 * replica}; the generator keeps the references right itself), secondary indexes dropped before the
 * load and built again afterwards from their own definitions, then {@code VACUUM ANALYZE}, which
 * autovacuum would do in production after inserts this large. Every step is timed for the report.
 */
final class BulkLoad implements AutoCloseable {

	private static final String MILESTONES = "db/migration/V10__lead_milestones_backfill.sql";

	private static final String STAGES_REACHED = "db/postgresql/V27__lead_stages_reached.sql";

	private static final String DISQUALIFIED = "db/postgresql/V29__lead_disqualified_at.sql";

	private static final List<String> REPORT_INDEXES = List.of("ix_lead_created_milestones", "ix_touch_created_outcomes");

	private final Connection connection;

	private final List<Step> steps = new ArrayList<>();

	private final List<String> droppedIndexes = new ArrayList<>();

	BulkLoad(DataSource dataSource) throws SQLException {
		this.connection = dataSource.getConnection();
		this.connection.setAutoCommit(true);
		execute("set session_replication_role = replica");
		execute("set maintenance_work_mem = '512MB'");
		execute("set work_mem = '256MB'");
		// ids that sort in insertion order, so primary keys grow at the right edge as the engine's do
		execute("create temporary sequence bench_ids");
		execute("""
				create function pg_temp.bench_id(kind int, n bigint) returns varchar language sql immutable as
				$$ select lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0') $$""");
		// the id of copy j of an engine row: suffixed "-j", the bare id (its last 36 characters)
		// suffixed where that would pass 64 characters, as the engine does for activity instances
		execute("""
				create function pg_temp.clone_id(id varchar, j bigint) returns varchar language sql immutable as $$
				select case when id is null then null when length(id) + length(j::text) < 64 then id || '-' || j
				            else right(id, 36) || '-' || j end $$""");
	}

	/** Runs an insert (or any update) and records how many rows it wrote and how long it took. */
	long update(String what, String sql) throws SQLException {
		long start = System.nanoTime();
		long rows;
		try (Statement statement = this.connection.createStatement()) {
			rows = statement.executeLargeUpdate(sql);
		}
		record(what, rows, start);
		return rows;
	}

	void execute(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute(sql);
		}
	}

	long count(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement(); var rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** The columns of a table of the current schema, in order, with their data types. */
	Map<String, String> columns(String table) throws SQLException {
		Map<String, String> columns = new LinkedHashMap<>();
		try (var statement = this.connection.prepareStatement("""
				select column_name, data_type from information_schema.columns
				where table_schema = current_schema() and table_name = ? order by ordinal_position""")) {
			statement.setString(1, table);
			try (var rs = statement.executeQuery()) {
				while (rs.next()) {
					columns.put(rs.getString(1), rs.getString(2));
				}
			}
		}
		return columns;
	}

	String text(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement(); var rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

	/** Drops the indexes of these tables that back no constraint; {@link #rebuildIndexes()} makes them again. */
	void dropSecondaryIndexes(List<String> tables) throws SQLException {
		long start = System.nanoTime();
		List<String[]> indexes = new ArrayList<>();
		try (var statement = this.connection.prepareStatement("""
				select i.indexname, i.indexdef from pg_indexes i
				join pg_class c on c.relname = i.indexname and c.relnamespace = to_regnamespace(i.schemaname)
				where i.schemaname = current_schema() and i.tablename = any (?)
				  and not exists (select 1 from pg_constraint k where k.conindid = c.oid)
				order by i.tablename, i.indexname""")) {
			statement.setArray(1, this.connection.createArrayOf("varchar",
					tables.stream().map((t) -> t.toLowerCase(java.util.Locale.ROOT)).toArray()));
			try (var rs = statement.executeQuery()) {
				while (rs.next()) {
					indexes.add(new String[] { rs.getString(1), rs.getString(2) });
				}
			}
		}
		for (String[] index : indexes) {
			execute("drop index " + index[0]);
			this.droppedIndexes.add(index[1]);
		}
		record("drop " + indexes.size() + " secondary indexes", indexes.size(), start);
	}

	void rebuildIndexes() throws SQLException {
		long start = System.nanoTime();
		for (String definition : this.droppedIndexes) {
			execute(definition);
		}
		record("build the " + this.droppedIndexes.size() + " secondary indexes again", this.droppedIndexes.size(),
				start);
		this.droppedIndexes.clear();
	}

	/**
	 * Fills in the leads' milestones and the touches' outcomes with the very migration that does it
	 * for a database upgraded to them ({@code db/migration/V10}), so its time at this size is
	 * measured too. An upgrade builds the report indexes ({@code db/postgresql/V11}) after that;
	 * here they were built before, so they are built again as the upgrade would leave them. Then
	 * the stages reached ({@code db/postgresql/V27}) and the time a lead was disqualified
	 * ({@code V29}), which the data set stamps already: what they time is the upgrade's look into
	 * each lead's journey history, the bulk of their work, and the funnel's index built again.
	 */
	void fillInMilestones() throws SQLException {
		long start = System.nanoTime();
		ScriptUtils.executeSqlScript(this.connection, new ClassPathResource(MILESTONES));
		record("lead milestones and touch outcomes filled in (" + MILESTONES + ")", 0, start);
		start = System.nanoTime();
		for (String index : REPORT_INDEXES) {
			execute("reindex index " + index);
		}
		record("the report indexes of V11 built again after it", REPORT_INDEXES.size(), start);
		start = System.nanoTime();
		ScriptUtils.executeSqlScript(this.connection, new ClassPathResource(STAGES_REACHED));
		record("stages reached filled in, the funnel's index built again (" + STAGES_REACHED + ")", 0, start);
		start = System.nanoTime();
		ScriptUtils.executeSqlScript(this.connection, new ClassPathResource(DISQUALIFIED));
		record("disqualifications filled in, the funnel's index built again (" + DISQUALIFIED + ")", 0, start);
	}

	void vacuumAnalyze(List<String> tables) throws SQLException {
		long start = System.nanoTime();
		execute("vacuum (analyze) " + String.join(", ", tables));
		record("VACUUM ANALYZE " + tables.size() + " tables", tables.size(), start);
	}

	/** What was done, in order. */
	List<Step> steps() {
		return this.steps;
	}

	double seconds() {
		return this.steps.stream().mapToDouble(Step::seconds).sum();
	}

	/** The steps as a report table. */
	String table() {
		List<String[]> rows = new ArrayList<>();
		this.steps.forEach((step) -> rows.add(BenchEnvironment.row(step.what(),
				String.format(java.util.Locale.ROOT, "%,d", step.rows()), BenchEnvironment.format(step.seconds()))));
		return BenchEnvironment.table(new String[] { "step", "rows", "s" }, rows);
	}

	/** Rows and size (with indexes) of each table, for the report. */
	static String sizes(org.springframework.jdbc.core.JdbcTemplate jdbc, List<String> tables) {
		List<String[]> rows = new ArrayList<>();
		for (String table : tables) {
			rows.add(BenchEnvironment.row(table,
					String.format(java.util.Locale.ROOT, "%,d",
							jdbc.queryForObject("select count(*) from " + table, Long.class)),
					jdbc.queryForObject("select pg_size_pretty(pg_total_relation_size(?))", String.class, table)));
		}
		return BenchEnvironment.table(new String[] { "table", "rows", "size with indexes" }, rows)
				+ "database size: " + jdbc.queryForObject("select pg_size_pretty(pg_database_size(current_database()))",
						String.class) + '\n';
	}

	private void record(String what, long rows, long startNanos) {
		double seconds = (System.nanoTime() - startNanos) / 1e9;
		this.steps.add(new Step(what, rows, seconds));
		TouchThroughputBenchmark.log("%s: %,d in %.1f s", what, rows, seconds);
	}

	record Step(String what, long rows, double seconds) {
	}

	/** Hands the connection back to the pool as it came: no temporary objects, no session settings. */
	@Override
	public void close() throws SQLException {
		try {
			execute("discard all");
		}
		finally {
			this.connection.close();
		}
	}

}
