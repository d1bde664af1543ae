package io.nurtureflow.hostile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a refused request must leave as it was, read in one go: every row a client's request
 * could write, column by column, and where every journey stands. Counting rows is not enough:
 * a request that changed a lead's stage, consent or score, or a touch's status, or that
 * correlated a message, completed a task or fired a step, adds no row of ours. The engine's
 * runtime rows carry a revision it raises on every update, so their ids and revisions show a
 * journey that moved, waits for something else or had a variable set.
 * <p>
 * Large texts (rendered messages, stored answers) are left out; their rows are there.
 */
final class StoredState {

	private static final Map<String, String> QUERIES = queries();

	/** Per table, each row as the text of its columns. */
	private final Map<String, Set<String>> rows;

	private StoredState(Map<String, Set<String>> rows) {
		this.rows = rows;
	}

	static StoredState of(JdbcClient jdbc) {
		Map<String, Set<String>> rows = new LinkedHashMap<>();
		QUERIES.forEach((table, sql) -> {
			Set<String> read = new HashSet<>();
			jdbc.sql(sql).query((rs) -> {
				int columns = rs.getMetaData().getColumnCount();
				StringBuilder row = new StringBuilder();
				for (int i = 1; i <= columns; i++) {
					row.append((i > 1) ? " | " : "").append(rs.getString(i));
				}
				read.add(row.toString());
			});
			rows.put(table, read);
		});
		return new StoredState(rows);
	}

	/** Rows gone (-) and rows new or changed (+) in {@code later}, a few per table. */
	List<String> changesTo(StoredState later) {
		List<String> changes = new ArrayList<>();
		this.rows.forEach((table, before) -> {
			Set<String> after = later.rows.get(table);
			before.stream().filter((row) -> !after.contains(row)).limit(3).forEach((row) -> changes.add(table + " - " + row));
			after.stream().filter((row) -> !before.contains(row)).limit(3).forEach((row) -> changes.add(table + " + " + row));
		});
		return changes;
	}

	int size() {
		return this.rows.values().stream().mapToInt(Set::size).sum();
	}

	private static Map<String, String> queries() {
		Map<String, String> queries = new LinkedHashMap<>();
		for (String table : List.of("lead", "lead_interest", "consent", "suppression", "touch", "engagement_event",
				"manager_notice")) {
			queries.put(table, "select * from " + table);
		}
		queries.put("recorded_message", "select touch_id, recipient, subject from recorded_message");
		queries.put("idempotency_request", "select idempotency_key, request_hash, status, location, created_at, lead_id "
				+ "from idempotency_request");
		queries.put("journey executions", "select id_, rev_, proc_inst_id_, business_key_, act_id_, is_active_ "
				+ "from act_ru_execution");
		queries.put("journey tasks", "select id_, rev_, proc_inst_id_, task_def_key_, assignee_ from act_ru_task");
		queries.put("journey subscriptions", "select id_, rev_, proc_inst_id_, event_type_, event_name_, activity_id_ "
				+ "from act_ru_event_subscr");
		queries.put("journey jobs", "select id_, rev_, process_instance_id_, duedate_, retries_, lock_owner_ "
				+ "from act_ru_job");
		queries.put("journey variables", "select id_, rev_, proc_inst_id_, name_ from act_ru_variable");
		queries.put("incidents", "select id_, rev_, proc_inst_id_, activity_id_ from act_ru_incident");
		return queries;
	}

}
