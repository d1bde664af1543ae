package io.nurtureflow.journey;

import java.util.UUID;

import io.nurtureflow.lead.LeadConsent;
import io.nurtureflow.lead.LeadConsent.ConsentChannel;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.lead.LeadStage;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/**
 * {@code ${withdrawConsent}}: list hygiene. A lead that did not answer the re-permission
 * question is unsubscribed from every channel, and the list stays clean.
 */
@Component("withdrawConsent")
class WithdrawConsent implements JavaDelegate {

	static final String SOURCE = "re-permission: no answer";

	private final LeadConsent consent;

	private final LeadRepository leads;

	WithdrawConsent(LeadConsent consent, LeadRepository leads) {
		this.consent = consent;
		this.leads = leads;
	}

	@Override
	public void execute(DelegateExecution execution) {
		UUID lead = LeadNurture.leadId(execution);
		this.consent.set(lead, ConsentChannel.EMAIL, false, SOURCE);
		this.consent.set(lead, ConsentChannel.SMS, false, SOURCE);
		this.leads.updateStage(lead, LeadStage.UNSUBSCRIBED);
	}

}
