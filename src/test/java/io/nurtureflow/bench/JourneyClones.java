package io.nurtureflow.bench;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Copies of journeys the engine started itself, made with SQL: every runtime and history row the
 * engine wrote for a template journey ({@code ACT_RU_EXECUTION}, {@code _JOB}, {@code _EVENT_SUBSCR},
 * {@code _VARIABLE}, {@code ACT_HI_PROCINST}, {@code _ACTINST}, {@code _VARINST}, {@code _DETAIL},
 * {@code _JOB_LOG}) is copied once per clone, column by column as the engine wrote it, except:
 * the journey's own ids (its executions, activity instances, variables, job, subscriptions) get
 * the suffix {@code -<clone number>} (the bare id, suffixed, where that would pass 64 characters,
 * as the engine does for activity instances), the business key and the {@code leadId} variable
 * name the clone's own lead, and the timer falls due at the clone's own time. Shared ids (process
 * definition, job definition, deployment) stay. So the rows are the engine's own, not a guess at
 * them; {@link #check} refuses to clone if a template holds a row or an id this does not know.
 */
final class JourneyClones {

	static final List<String> TABLES = List.of("act_ru_execution", "act_ru_job", "act_ru_event_subscr",
			"act_ru_variable", "act_hi_procinst", "act_hi_actinst", "act_hi_varinst", "act_hi_detail",
			"act_hi_job_log");

	/** Columns that hold ids of the journey itself. */
	private static final Set<String> OWN_IDS = Set.of("id_", "proc_inst_id_", "process_instance_id_",
			"root_proc_inst_id_", "execution_id_", "parent_id_", "act_inst_id_", "parent_act_inst_id_", "var_scope_",
			"job_id_", "var_inst_id_");

	private final JdbcTemplate jdbc;

	JourneyClones(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Fails unless every engine row of the first template journeys is in a table cloned here and no
	 * column left as it is holds one of the journey's own ids.
	 */
	void check() {
		String sample = "(select proc_inst_id_ from act_hi_procinst order by proc_inst_id_ limit 3)";
		for (var found : this.jdbc.queryForList("""
				select table_name, min(column_name) as column_name from information_schema.columns
				where table_schema = current_schema() and table_name like 'act\\_%'
				  and column_name in ('proc_inst_id_', 'process_instance_id_')
				group by table_name""")) {
			String table = (String) found.get("table_name");
			long rows = this.jdbc.queryForObject(
					"select count(*) from " + table + " where " + found.get("column_name") + " in " + sample, Long.class);
			if (rows > 0 && !TABLES.contains(table)) {
				throw new IllegalStateException(table + " holds rows of a template journey; clone it too");
			}
		}
		StringBuilder ownIds = new StringBuilder();
		for (String table : TABLES) {
			ownIds.append((ownIds.length() == 0) ? "" : " union ")
				.append("select id_ from ")
				.append(table)
				.append(" where ")
				.append(instanceColumn(table))
				.append(" in ")
				.append(sample);
		}
		for (String table : TABLES) {
			for (String column : columns(table)) {
				if (OWN_IDS.contains(column) || column.equals("business_key_")) {
					continue;
				}
				long leaks = this.jdbc.queryForObject("select count(*) from " + table + " src where "
						+ instanceColumn(table) + " in " + sample + " and exists (select 1 from (" + ownIds
						+ ") own where cast(src." + column + " as varchar) like '%' || own.id_ || '%')", Long.class);
				if (leaks > 0) {
					throw new IllegalStateException(table + "." + column + " holds a journey's own id; map it");
				}
			}
		}
	}

	/**
	 * Clones the template journeys (those in the database now) until there are {@code journeys}:
	 * clone {@code j} copies template {@code j mod templates}, belongs to the {@code j}-th lead
	 * that is still in a journey (as {@code InsightDataSet} made them, by id), and its timer falls
	 * due between {@code firstDue} and 20 days later.
	 */
	void clone(BulkLoad load, int journeys, Instant firstDue) throws SQLException {
		String zone = TimeZone.getDefault().getID();
		load.execute("""
				create temporary table bench_template as
				select row_number() over (order by proc_inst_id_) - 1 as k, proc_inst_id_ as pi from act_hi_procinst""");
		int templates = (int) load.count("select count(*) from bench_template");
		load.execute("""
				create temporary table bench_clone as
				select l.j, t.pi as template, l.id as lead_id,
				       timestamptz '%s' + ((l.j * 7919) %% 1728000) * interval '1 second' as due
				from (select row_number() over (order by id) as j, id from lead where stage not in %s) l
				join bench_template t on t.k = l.j %% %d
				where l.j > %d and l.j <= %d""".formatted(firstDue, InsightDataSet.ENDED, templates, templates,
				journeys));
		load.execute("create index on bench_clone (template)");
		load.execute("analyze bench_clone");
		for (String table : TABLES) {
			List<String> columns = columns(table);
			List<String> values = new ArrayList<>();
			for (String column : columns) {
				values.add(value(table, column, zone));
			}
			load.update("clones: " + table, "insert into " + table + " (" + String.join(", ", columns) + ") select "
					+ String.join(", ", values) + " from " + table + " src join bench_clone c on c.template = src."
					+ instanceColumn(table));
		}
	}

	private static String value(String table, String column, String zone) {
		if (OWN_IDS.contains(column)) {
			return "pg_temp.clone_id(src." + column + ", c.j)";
		}
		return switch (column) {
			case "business_key_" -> "case when src.business_key_ is null then null else c.lead_id::text end";
			case "text_" -> table.endsWith("variable") || table.endsWith("varinst") || table.endsWith("detail")
					? "case when src.name_ = 'leadId' then c.lead_id::text else src.text_ end" : "src.text_";
			case "duedate_", "job_duedate_" -> "c.due at time zone '" + zone + "'";
			default -> "src." + column;
		};
	}

	private List<String> columns(String table) {
		return this.jdbc.queryForList("""
				select column_name from information_schema.columns
				where table_schema = current_schema() and table_name = ? order by ordinal_position""", String.class,
				table);
	}

	private static String instanceColumn(String table) {
		return table.endsWith("job") || table.endsWith("job_log") ? "process_instance_id_" : "proc_inst_id_";
	}

}
