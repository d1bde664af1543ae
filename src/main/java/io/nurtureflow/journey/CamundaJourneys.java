package io.nurtureflow.journey;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.lead.Journeys;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;

import org.springframework.stereotype.Component;

/** Journeys as Camunda process instances, keyed by the lead id. */
@Component
class CamundaJourneys implements Journeys {

	private final RuntimeService runtime;

	private final RepositoryService repository;

	private final HistoryService history;

	CamundaJourneys(RuntimeService runtime, RepositoryService repository, HistoryService history) {
		this.runtime = runtime;
		this.repository = repository;
		this.history = history;
	}

	@Override
	public void startLeadNurture(UUID leadId) {
		this.runtime.startProcessInstanceByKey(LeadNurture.PROCESS_KEY, leadId.toString(),
				Map.of(LeadNurture.LEAD_ID, leadId.toString()));
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
		this.runtime.createMessageCorrelation(LeadNurture.MESSAGE_DISQUALIFIED)
			.processInstanceBusinessKey(leadId.toString())
			.setVariable(LeadNurture.EXIT_REASON, reason)
			.correlateAllWithResult();
	}

	@Override
	public void forget(UUID leadId) {
		this.runtime.createMessageCorrelation(LeadNurture.MESSAGE_DELETED)
			.processInstanceBusinessKey(leadId.toString())
			.correlateAllWithResult();
		// a journey without a "deleted" exit must not outlive the lead it refers to
		this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(leadId.toString())
			.list()
			.forEach((instance) -> this.runtime.deleteProcessInstance(instance.getId(), "lead deleted"));
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
