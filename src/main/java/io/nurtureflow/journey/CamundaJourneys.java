package io.nurtureflow.journey;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.lead.Journeys;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Journeys as Camunda process instances, keyed by the lead id. */
@Component
class CamundaJourneys implements Journeys {

	/** Why {@link #forget} cancels a journey that has no "deleted" exit. */
	static final String LEAD_DELETED = "lead deleted";

	/** What the engine itself gives as the reason a task ended: none a person typed. */
	private static final List<String> ENGINE_TASK_ENDS = List.of("completed", "deleted", LEAD_DELETED);

	private final CommandExecutor commands;

	private final RuntimeService runtime;

	private final RepositoryService repository;

	private final HistoryService history;

	private final JdbcClient jdbc;

	CamundaJourneys(ProcessEngine engine, RuntimeService runtime, RepositoryService repository,
			HistoryService history, JdbcClient jdbc) {
		this.commands = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
			.getCommandExecutorTxRequired();
		this.runtime = runtime;
		this.repository = repository;
		this.history = history;
		this.jdbc = jdbc;
		HandledCollisions.install();
	}

	/**
	 * Starts the journey and reads where it waits in one engine command: the new executions are
	 * still in the command's cache then, so the answer costs no query.
	 */
	@Override
	public ActiveJourney startLeadNurture(UUID leadId) {
		return this.commands.execute((context) -> {
			ProcessInstance started = this.runtime.startProcessInstanceByKey(LeadNurture.PROCESS_KEY,
					leadId.toString(), Map.of(LeadNurture.LEAD_ID, leadId.toString()));
			return new ActiveJourney(LeadNurture.PROCESS_KEY, started.getId(), ClockUtil.now().toInstant(),
					this.runtime.getActiveActivityIds(started.getId()));
		});
	}

	@Override
	public boolean isInJourney(UUID leadId) {
		return this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadId.toString()).count() > 0;
	}

	@Override
	public List<ActiveJourney> activeJourneys(UUID leadId) {
		return this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(leadId.toString())
			.list()
			.stream()
			.map(this::describe)
			.toList();
	}

	@Override
	public void disqualify(UUID leadId, String reason) {
		changing(leadId, () -> this.runtime.createMessageCorrelation(LeadNurture.MESSAGE_DISQUALIFIED)
			.processInstanceBusinessKey(leadId.toString())
			.setVariable(LeadNurture.EXIT_REASON, reason)
			.correlateAllWithResult());
	}

	@Override
	public void churn(UUID leadId, String reason) {
		changing(leadId, () -> {
			this.runtime.createMessageCorrelation(LeadNurture.MESSAGE_CHURNED)
				.processInstanceBusinessKey(leadId.toString())
				.setVariable(LeadNurture.EXIT_REASON, reason)
				.correlateAllWithResult();
			// a customer journey still running started on a version without the exit: left alone,
			// it would welcome, check in and call a customer who has gone until its renewal call
			this.runtime.createProcessInstanceQuery()
				.processDefinitionKey(LeadNurture.CUSTOMER_PROCESS_KEY)
				.processInstanceBusinessKey(leadId.toString())
				.list()
				.forEach((journey) -> this.runtime.deleteProcessInstance(journey.getId(), "churned: " + reason));
		});
	}

	@Override
	public void forget(UUID leadId) {
		changing(leadId, () -> {
			this.runtime.createMessageCorrelation(LeadNurture.MESSAGE_DELETED)
				.processInstanceBusinessKey(leadId.toString())
				.correlateAllWithResult();
			// a journey without a "deleted" exit must not outlive the lead it refers to
			this.runtime.createProcessInstanceQuery()
				.processInstanceBusinessKey(leadId.toString())
				.list()
				.forEach((instance) -> this.runtime.deleteProcessInstance(instance.getId(), LEAD_DELETED));
			// what the journeys were told and asked (a reply's text, a referral, a rep's notes and
			// comments) must not outlive the lead in the history: the steps they took stay, as
			// ids and times, without the values
			List<String> journeys = this.history.createHistoricProcessInstanceQuery()
				.processInstanceBusinessKey(leadId.toString())
				.list()
				.stream()
				.map(HistoricProcessInstance::getId)
				.toList();
			journeys.forEach(this.history::deleteHistoricVariableInstancesByProcessInstanceId);
			if (!journeys.isEmpty()) {
				// TaskService removes comments and attachments of running journeys only; these have
				// ended. Tasklist's comments and attachments carry the task's id alone.
				this.commands.execute((context) -> {
					context.getCommentManager().deleteCommentsByProcessInstanceIds(journeys);
					context.getCommentManager().deleteCommentsByTaskProcessInstanceIds(journeys);
					context.getAttachmentManager().deleteAttachmentsByProcessInstanceIds(journeys);
					context.getAttachmentManager().deleteAttachmentsByTaskProcessInstanceIds(journeys);
					return null;
				});
				forgetOperationLogValues(journeys);
			}
			forgetCancellationReasons(leadId, journeys);
		});
	}

	/**
	 * Cockpit's operation log of the lead's journeys and tasks keeps values people typed (a
	 * comment as it read before and after an edit, an attachment's name, a note on an entry). Which
	 * of its values a person typed cannot be told from the ones the engine wrote, so none stays;
	 * the entries do: who did what to which journey or task, and when.
	 */
	private void forgetOperationLogValues(List<String> journeys) {
		this.jdbc.sql("update ACT_HI_OP_LOG set ORG_VALUE_ = null, NEW_VALUE_ = null, ANNOTATION_ = null"
				+ " where PROC_INST_ID_ in (:journeys)")
			.param("journeys", journeys)
			.update();
	}

	/**
	 * The reasons the lead's journeys and their tasks were cancelled with are values a person typed
	 * too (in Cockpit, or a churn's reason, "churned: ..."), kept where the engine's API cannot
	 * change them: the history's own columns. What the engine wrote itself stays.
	 */
	private void forgetCancellationReasons(UUID leadId, List<String> journeys) {
		// a cancellation by batch logs its reason under no journey: found by the reason the
		// lead's journey ended with (a batch that gave it to other journeys too loses it as well)
		this.jdbc.sql("update ACT_HI_OP_LOG set NEW_VALUE_ = null"
				+ " where OPERATION_TYPE_ = 'Delete' and PROPERTY_ = 'deleteReason' and NEW_VALUE_ in"
				+ " (select DELETE_REASON_ from ACT_HI_PROCINST where BUSINESS_KEY_ = :lead and DELETE_REASON_ <> :ours)")
			.param("lead", leadId.toString())
			.param("ours", LEAD_DELETED)
			.update();
		this.jdbc.sql("update ACT_HI_PROCINST set DELETE_REASON_ = null"
				+ " where BUSINESS_KEY_ = :lead and DELETE_REASON_ is not null and DELETE_REASON_ <> :ours")
			.param("lead", leadId.toString())
			.param("ours", LEAD_DELETED)
			.update();
		if (!journeys.isEmpty()) {
			this.jdbc.sql("update ACT_HI_TASKINST set DELETE_REASON_ = 'deleted'"
					+ " where PROC_INST_ID_ in (:journeys) and DELETE_REASON_ not in (:engine)")
				.param("journeys", journeys)
				.param("engine", ENGINE_TASK_ENDS)
				.update();
		}
	}

	/**
	 * A collision with another change to the journeys (a touch sent at that moment) is reported
	 * as Spring's {@link ConcurrencyFailureException}, which the caller runs again or answers as
	 * busy (so the engine's own log of it is left out, see {@link HandledCollisions}).
	 */
	private static void changing(UUID leadId, Runnable change) {
		try {
			HandledCollisions.handledBy(change);
		}
		catch (RuntimeException ex) {
			if (Collisions.collided(ex) && !(ex instanceof ConcurrencyFailureException)) {
				throw new ConcurrencyFailureException("The journeys of lead " + leadId + " changed at the same time",
						ex);
			}
			throw ex;
		}
	}

	private ActiveJourney describe(ProcessInstance instance) {
		String journey = this.repository.getProcessDefinition(instance.getProcessDefinitionId()).getKey();
		var started = this.history.createHistoricProcessInstanceQuery()
			.processInstanceId(instance.getId())
			.singleResult();
		return new ActiveJourney(journey, instance.getId(),
				(started != null) ? started.getStartTime().toInstant() : null,
				this.runtime.getActiveActivityIds(instance.getId()));
	}

}
