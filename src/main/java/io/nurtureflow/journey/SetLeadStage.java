package io.nurtureflow.journey;

import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.lead.LeadStage;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/** {@code ${setLeadStage}}: moves the lead to the stage named in the step's {@code stage} property. */
@Component("setLeadStage")
class SetLeadStage implements JavaDelegate {

	private final LeadRepository leads;

	SetLeadStage(LeadRepository leads) {
		this.leads = leads;
	}

	@Override
	public void execute(DelegateExecution execution) {
		LeadStage stage = LeadStage.valueOf(StepProperties.required(execution, LeadNurture.STAGE));
		this.leads.updateStage(LeadNurture.leadId(execution), stage);
	}

}
