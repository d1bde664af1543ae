package io.nurtureflow.demo;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.touch.TouchStatus;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo's hands on the engine: its clock, its due jobs, its open tasks, and what the journeys
 * left in the touch ledger. Jobs run here one by one, as the job executor would run them, and
 * tasks are completed through the task service, as Tasklist completes them.
 *
 * <p>The questions asked at every step of the simulation (which jobs are due, when the next one
 * is, which tasks are new) read the engine's runtime tables as plain tables, as the insight
 * queries read its history tables: asked thousands of times, the engine's query API would cost
 * more than a third of the whole load.
 */
@Component
@ConditionalOnProperty(prefix = "nurture.demo", name = "load", havingValue = "true")
class DemoEngine {

	private static final Logger log = LoggerFactory.getLogger(DemoEngine.class);

	private static final int JOB_ROUNDS = 50;

	private final RuntimeService runtime;

	private final TaskService tasks;

	private final ManagementService management;

	private final HistoryService history;

	private final JdbcClient jdbc;

	private final Set<String> failedJobs = new HashSet<>();

	DemoEngine(RuntimeService runtime, TaskService tasks, ManagementService management, HistoryService history,
			JdbcClient jdbc) {
		this.runtime = runtime;
		this.tasks = tasks;
		this.management = management;
		this.history = history;
		this.jdbc = jdbc;
	}

	long leads() {
		return this.jdbc.sql("select count(*) from lead").query(Long.class).single();
	}

	void clock(Instant at) {
		ClockUtil.setCurrentTime(Date.from(at));
	}

	void realTime() {
		ClockUtil.reset();
	}

	/**
	 * Runs due jobs, and the jobs they make due, until none is left (or a bound is reached).
	 * Returns how many it tried; a failed job is due again after its retry wait.
	 */
	int runDueJobs() {
		int tried = 0;
		for (int round = 0; round < JOB_ROUNDS; round++) {
			// what ManagementService#createJobQuery().executable() selects
			List<String> due = this.jdbc.sql("""
					select ID_ from ACT_RU_JOB
					where RETRIES_ > 0 and (DUEDATE_ is null or DUEDATE_ <= ?)
					  and (SUSPENSION_STATE_ is null or SUSPENSION_STATE_ = 1)""")
				.param(Timestamp.from(ClockUtil.now().toInstant()))
				.query(String.class)
				.list();
			if (due.isEmpty()) {
				return tried;
			}
			due.forEach(this::execute);
			tried += due.size();
		}
		log.warn("Jobs still due after {} rounds; the next step runs them", JOB_ROUNDS);
		return tried;
	}

	private void execute(String jobId) {
		try {
			this.management.executeJob(jobId);
		}
		catch (ProcessEngineException ex) {
			// a job of a journey that an earlier job ended is simply gone
			if (this.management.createJobQuery().jobId(jobId).count() > 0) {
				this.failedJobs.add(jobId);
				log.debug("Job {} failed", jobId, ex);
			}
		}
	}

	/** When the next job falls due after {@code now}, or null. */
	Instant nextJobDue(Instant now) {
		List<Timestamp> next = this.jdbc.sql("select min(DUEDATE_) from ACT_RU_JOB where RETRIES_ > 0 and DUEDATE_ > ?")
			.param(Timestamp.from(now))
			.query((rs, n) -> rs.getTimestamp(1))
			.list();
		return (next.isEmpty() || next.get(0) == null) ? null : next.get(0).toInstant();
	}

	/** Open tasks created since {@code since} that are not in {@code known}, with the lead each is for. */
	List<OpenTask> newTasks(Instant since, Set<String> known) {
		return this.jdbc.sql("""
				select t.ID_, t.TASK_DEF_KEY_, t.CREATE_TIME_, t.DUE_DATE_, p.BUSINESS_KEY_
				from ACT_RU_TASK t join ACT_RU_EXECUTION p on p.ID_ = t.PROC_INST_ID_
				where t.CREATE_TIME_ > ? and p.BUSINESS_KEY_ is not null order by t.CREATE_TIME_, t.ID_""")
			.param(Timestamp.from(since))
			.query((rs, n) -> new OpenTask(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
					(rs.getTimestamp(4) != null) ? rs.getTimestamp(4).toInstant() : null,
					UUID.fromString(rs.getString(5))))
			.list()
			.stream()
			.filter((task) -> !known.contains(task.id()))
			.toList();
	}

	/** Completes the task with the form's answers; false when it is gone (its journey moved on). */
	boolean complete(String taskId, Map<String, Object> form) {
		// asking first keeps the engine from logging an error for a task its journey already cancelled
		long open = this.jdbc.sql("select count(*) from ACT_RU_TASK where ID_ = ?")
			.param(taskId)
			.query(Long.class)
			.single();
		if (open == 0) {
			return false;
		}
		this.tasks.complete(taskId, form);
		return true;
	}

	boolean inLeadJourney(UUID lead) {
		return this.runtime.createProcessInstanceQuery()
			.processDefinitionKey(LeadNurture.PROCESS_KEY)
			.processInstanceBusinessKey(lead.toString())
			.count() > 0;
	}

	String email(UUID lead) {
		return this.jdbc.sql("select email from lead where id = ?").param(lead).query(String.class).single();
	}

	/** Touches in the ledger after {@code id}, oldest first. */
	List<LedgerTouch> touchesAfter(long id) {
		return this.jdbc.sql("""
				select id, lead_id, channel, content, status, created_at from touch where id > ? order by id""")
			.param(id)
			.query((rs, n) -> new LedgerTouch(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
					rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()))
			.list();
	}

	Summary summary() {
		long leads = count("select count(*) from lead");
		long touches = count("select count(*) from touch where status in " + TouchStatus.REACHED_SQL);
		long customers = count("select count(*) from lead where stage = 'CUSTOMER'");
		long salesQualified = count("select count(*) from lead where stage = 'SQL'");
		long calls = this.history.createHistoricTaskInstanceQuery()
			.taskDefinitionKeyIn(LeadNurture.TASK_CALL_NEW_LEAD, LeadNurture.TASK_CALL_LEAD_AGAIN)
			.finished()
			.count();
		// missed first calls, not the SLA timers of later attempts on journeys of earlier versions
		long slaMissed = this.history.createHistoricActivityInstanceQuery()
			.activityId("Event_FirstCallSlaMissed")
			.count();
		long openTasks = this.tasks.createTaskQuery().count();
		long incidents = this.runtime.createIncidentQuery().count();
		return new Summary(leads, touches, customers, salesQualified, calls, slaMissed, openTasks,
				this.failedJobs.size(), incidents);
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	record OpenTask(String id, String key, Instant created, Instant due, UUID lead) {
	}

	record LedgerTouch(long id, UUID lead, String channel, String content, String status, Instant at) {

		boolean reachedTheLead() {
			return "RECORDED".equals(this.status) || "SENT".equals(this.status) || "DELIVERED".equals(this.status);
		}

	}

	record Summary(long leads, long touches, long customers, long salesQualified, long callsCompleted,
			long slaMissed, long openTasks, long failedJobs, long incidents) {
	}

}
