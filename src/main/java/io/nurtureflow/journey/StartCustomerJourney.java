package io.nurtureflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/** {@code ${startCustomerJourney}}: a converted lead becomes a customer with its own journey. */
@Component("startCustomerJourney")
class StartCustomerJourney implements JavaDelegate {

	private final CustomerJourney customers;

	StartCustomerJourney(CustomerJourney customers) {
		this.customers = customers;
	}

	@Override
	public void execute(DelegateExecution execution) {
		this.customers.start(LeadNurture.leadId(execution));
	}

}
