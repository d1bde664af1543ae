package io.nurtureflow.journey;

import java.util.Map;
import java.util.UUID;

import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.lead.LeadStage;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/** {@code ${startCustomerJourney}}: a converted lead becomes a customer with its own journey. */
@Component("startCustomerJourney")
class StartCustomerJourney implements JavaDelegate {

	private final LeadRepository leads;

	private final JourneyTiming timing;

	StartCustomerJourney(LeadRepository leads, JourneyTiming timing) {
		this.leads = leads;
		this.timing = timing;
	}

	@Override
	public void execute(DelegateExecution execution) {
		UUID lead = LeadNurture.leadId(execution);
		this.leads.updateStage(lead, LeadStage.CUSTOMER);
		execution.getProcessEngineServices()
			.getRuntimeService()
			.startProcessInstanceByKey(LeadNurture.CUSTOMER_PROCESS_KEY, lead.toString(),
					Map.of(LeadNurture.LEAD_ID, lead.toString(), LeadNurture.RENEWAL_DATE, this.timing.firstRenewal()));
	}

}
