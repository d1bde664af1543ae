package io.nurtureflow.hostile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.jdbc.core.ResultSetExtractor;
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
	private final Map<String, Set<List<String>>> rows;

	private final Map<String, List<String>> columns;

	private StoredState(Map<String, Set<List<String>>> rows, Map<String, List<String>> columns) {
		this.rows = rows;
		this.columns = columns;
	}

	static StoredState of(JdbcClient jdbc) {
		Map<String, Set<List<String>>> rows = new LinkedHashMap<>();
		Map<String, List<String>> columns = new LinkedHashMap<>();
		QUERIES.forEach((table, sql) -> {
			List<String> names = new ArrayList<>();
			rows.put(table, jdbc.sql(sql).query((ResultSetExtractor<Set<List<String>>>) (rs) -> read(rs, names)));
			columns.put(table, names);
		});
		return new StoredState(rows, columns);
	}

	/**
	 * What differs in {@code later}, at most 30 lines: a row whose first column (its id) is in both
	 * as the columns that changed, others as gone (-) or new (+).
	 */
	List<String> changesTo(StoredState later) {
		List<String> changes = new ArrayList<>();
		this.rows.forEach((table, before) -> {
			Set<List<String>> after = later.rows.get(table);
			Map<String, List<String>> gone = byId(before.stream().filter((row) -> !after.contains(row)).toList());
			Map<String, List<String>> added = byId(after.stream().filter((row) -> !before.contains(row)).toList());
			gone.forEach((id, row) -> changes.add(added.containsKey(id)
					? table + " " + id + ": " + changed(this.columns.get(table), row, added.get(id))
					: table + " - " + row));
			added.forEach((id, row) -> {
				if (!gone.containsKey(id)) {
					changes.add(table + " + " + row);
				}
			});
		});
		return changes.stream().limit(30).toList();
	}

	int size() {
		return this.rows.values().stream().mapToInt(Set::size).sum();
	}

	/** Each row as the text of its columns; the columns' names go to {@code names}. */
	private static Set<List<String>> read(ResultSet rs, List<String> names) throws SQLException {
		for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
			names.add(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT));
		}
		Set<List<String>> rows = new HashSet<>();
		while (rs.next()) {
			String[] row = new String[names.size()];
			for (int i = 0; i < row.length; i++) {
				row[i] = rs.getString(i + 1);
			}
			rows.add(Arrays.asList(row));
		}
		return rows;
	}

	private static Map<String, List<String>> byId(List<List<String>> rows) {
		Map<String, List<String>> byId = new LinkedHashMap<>();
		rows.forEach((row) -> byId.putIfAbsent(row.get(0), row));
		return byId;
	}

	private static String changed(List<String> names, List<String> before, List<String> after) {
		List<String> changed = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			if (!Objects.equals(before.get(i), after.get(i))) {
				changed.add(names.get(i) + " " + before.get(i) + " -> " + after.get(i));
			}
		}
		return String.join(", ", changed);
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
		queries.put("email_resubscription", "select id, lead_id, source, status, provider_id, asked_at, confirmed_at "
				+ "from email_resubscription");
		queries.put("journey executions", "select id_, rev_, proc_inst_id_, business_key_, act_id_, is_active_ "
				+ "from act_ru_execution");
		queries.put("journey tasks", "select id_, rev_, proc_inst_id_, task_def_key_, assignee_ from act_ru_task");
		queries.put("journey subscriptions", "select id_, rev_, proc_inst_id_, event_type_, event_name_, activity_id_ "
				+ "from act_ru_event_subscr");
		queries.put("journey jobs", "select id_, rev_, process_instance_id_, duedate_, retries_, lock_owner_ "
				+ "from act_ru_job");
		queries.put("journey variables", "select id_, rev_, proc_inst_id_, name_ from act_ru_variable");
		queries.put("incidents", "select id_, rev_, proc_inst_id_, activity_id_ from act_ru_incident");
		// a wrong password counts against the user and locks it out for a while, as it should: only
		// what the user is, not the revision that counting raises
		queries.put("users", "select id_, first_, last_, email_, pwd_, salt_ from act_id_user");
		return queries;
	}

}
