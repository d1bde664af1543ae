package io.nurtureflow.journey;

import java.util.Map;
import java.util.UUID;

import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.lead.LeadStage;
import org.camunda.bpm.engine.RuntimeService;

import org.springframework.stereotype.Component;

/**
 * Makes a lead a customer with its own journey: from the lead journey's "converted" exit, or
 * when a lead that already left its journey (handed over to sales) converts later.
 */
@Component
class CustomerJourney {

	private final LeadRepository leads;

	private final JourneyTiming timing;

	private final RuntimeService runtime;

	CustomerJourney(LeadRepository leads, JourneyTiming timing, RuntimeService runtime) {
		this.leads = leads;
		this.timing = timing;
		this.runtime = runtime;
	}

	/** Starts the customer journey unless one runs already. */
	void start(UUID lead) {
		this.leads.updateStage(lead, LeadStage.CUSTOMER);
		boolean running = this.runtime.createProcessInstanceQuery()
			.processDefinitionKey(LeadNurture.CUSTOMER_PROCESS_KEY)
			.processInstanceBusinessKey(lead.toString())
			.count() > 0;
		if (!running) {
			this.runtime.startProcessInstanceByKey(LeadNurture.CUSTOMER_PROCESS_KEY, lead.toString(),
					Map.of(LeadNurture.LEAD_ID, lead.toString(), LeadNurture.RENEWAL_DATE, this.timing.firstRenewal()));
		}
	}

}
