package io.nurtureflow.cluster;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the shared database says, read with plain SQL as an operator would: leads, journeys,
 * the touch ledger, incidents, the engine's job log and its deployments.
 */
final class ClusterRecords {

	static final String ACKNOWLEDGEMENT_EMAIL = "Task_SendAcknowledgement";

	static final String ACKNOWLEDGEMENT_SMS = "Task_SendAcknowledgementSms";

	static final String NOTIFY_MANAGERS = "Task_NotifyManagers";

	static final String SLA_ESCALATION = "Task_EscalateMissedSla";

	static final String AUTO_DEPLOYMENT = "SpringAutoDeployment";

	private final JdbcClient jdbc;

	ClusterRecords(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Set<UUID> leads() {
		return Set.copyOf(this.jdbc.sql("select id from lead").query(UUID.class).list());
	}

	Map<UUID, String> emails() {
		Map<UUID, String> emails = new HashMap<>();
		this.jdbc.sql("select id, email from lead")
			.query((rs) -> {
				emails.put(rs.getObject(1, UUID.class), rs.getString(2));
			});
		return emails;
	}

	/** Running lead-nurture journeys per lead (business key = lead id). */
	Map<UUID, Integer> runningJourneys() {
		Map<UUID, Integer> journeys = new HashMap<>();
		this.jdbc.sql("""
				select e.business_key_, count(*) from act_ru_execution e
				join act_re_procdef d on d.id_ = e.proc_def_id_
				where e.id_ = e.proc_inst_id_ and d.key_ = 'lead-nurture'
				group by e.business_key_""")
			.query((rs) -> {
				journeys.put(UUID.fromString(rs.getString(1)), rs.getInt(2));
			});
		return journeys;
	}

	/** Ledger rows per lead, step and status. */
	List<LedgerRow> ledger() {
		return this.jdbc.sql("select lead_id, activity_id, status, reason from touch order by id")
			.query((rs, n) -> new LedgerRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
					rs.getString(4)))
			.list();
	}

	/**
	 * Leads whose journey has not yet made its first three touches: the acknowledgement email and
	 * SMS over (sent, or failed), and managers told of the missed call SLA (the escalation task
	 * that follows the notice in the same transaction is there).
	 */
	Set<UUID> leadsAwaitingFirstTouches() {
		return Set.copyOf(this.jdbc.sql("""
				select l.id from lead l
				where (select count(*) from touch t
				       where t.lead_id = l.id and t.activity_id in (?, ?) and t.status in ('SENT', 'FAILED')) < 2
				   or not exists (select 1 from act_ru_task k join act_ru_execution e on e.id_ = k.proc_inst_id_
				                  where e.business_key_ = cast(l.id as varchar) and k.task_def_key_ = ?)""")
			.params(ACKNOWLEDGEMENT_EMAIL, ACKNOWLEDGEMENT_SMS, SLA_ESCALATION)
			.query(UUID.class)
			.list());
	}

	/** Touches a node has claimed and is handing to the provider right now. */
	long touchesBeingSent() {
		return this.jdbc.sql("select count(*) from touch where status = 'SENDING'").query(Long.class).single();
	}

	/**
	 * Leads whose notice to managers a node claimed and never recorded as sent: it died while
	 * sending it, so the managers may have it, or not.
	 */
	Set<UUID> leadsWithInterruptedNotice() {
		return Set.copyOf(this.jdbc.sql("""
				select cast(e.business_key_ as uuid) from manager_notice n
				join act_ru_execution e on n.notice_key like e.id_ || ':%' and e.id_ = e.proc_inst_id_
				where n.status = 'SENDING'""")
			.query(UUID.class)
			.list());
	}

	/** Jobs some node has locked and not finished yet. */
	long lockedJobs() {
		return this.jdbc.sql("select count(*) from act_ru_job where lock_owner_ is not null")
			.query(Long.class)
			.single();
	}

	/**
	 * Jobs of the journeys that may still send something: locked by a node (running, or held by a
	 * dead one until its lock expires), due within {@code within}, or at one of {@code steps}
	 * however late they are due (a retry of a checked touch). Each as its step and due date or lock.
	 */
	List<String> jobsThatMaySend(Duration within, List<String> steps) {
		return this.jdbc.sql("""
				select coalesce(d.act_id_, j.handler_type_), j.lock_owner_, j.duedate_ from act_ru_job j
				left join act_ru_jobdef d on d.id_ = j.job_def_id_
				where j.process_instance_id_ is not null
				  and (j.lock_owner_ is not null
				       or j.retries_ > 0 and (j.duedate_ is null or j.duedate_ <= :horizon or d.act_id_ in (:steps)))""")
			// the engine writes due dates in the nodes' local time, which is this JVM's
			.param("horizon", Timestamp.valueOf(LocalDateTime.now().plus(within)))
			.param("steps", steps)
			.query((rs, n) -> rs.getString(1) + ((rs.getString(2) != null) ? " locked by " + rs.getString(2)
					: " due " + rs.getTimestamp(3)))
			.list();
	}

	long incidents() {
		return this.jdbc.sql("select count(*) from act_ru_incident").query(Long.class).single();
	}

	/** Jobs each node ran to success, by the host name it writes into the job log. */
	Map<String, Long> successfulJobsByNode() {
		return jobLog(2);
	}

	/** Failed job runs per node (each one retried), such as optimistic locking conflicts. */
	Map<String, Long> failedJobsByNode() {
		return jobLog(1);
	}

	/** How many times each process, decision and form is deployed, by its key. */
	Map<String, Long> definitionVersions() {
		Map<String, Long> versions = new HashMap<>();
		for (String table : List.of("act_re_procdef", "act_re_decision_def", "act_re_decision_req_def",
				"act_re_camformdef")) {
			this.jdbc.sql("select key_, count(*) from " + table + " group by key_")
				.query((rs) -> {
					versions.put(table + ":" + rs.getString(1), rs.getLong(2));
				});
		}
		return versions;
	}

	/** Deployments by name; the nodes' own, from their class path, are named {@code SpringAutoDeployment}. */
	long deployments(String name) {
		return this.jdbc.sql("select count(*) from act_re_deployment where name_ = ?")
			.param(name)
			.query(Long.class)
			.single();
	}

	private Map<String, Long> jobLog(int state) {
		return this.jdbc.sql("select hostname_, count(*) from act_hi_job_log where job_state_ = ? group by hostname_")
			.param(state)
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	record LedgerRow(UUID lead, String step, String status, String reason) {
	}

}
