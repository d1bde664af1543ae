package io.nurtureflow.journey;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.nurtureflow.lead.InvalidLeadException;
import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadIntake;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.lead.LeadRequest;
import io.nurtureflow.lead.LeadValidator;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@code ${recordReferral}}: the rep reached the wrong person, who named the right one. The
 * referral becomes a lead of its own (same company, source "referral", no consent given yet),
 * with its own journey; without a usable email it is only logged with the call notes.
 */
@Component("recordReferral")
class RecordReferral implements JavaDelegate {

	private static final Logger log = LoggerFactory.getLogger(RecordReferral.class);

	private final LeadRepository leads;

	private final LeadValidator validator;

	private final LeadIntake intake;

	RecordReferral(LeadRepository leads, LeadValidator validator, LeadIntake intake) {
		this.leads = leads;
		this.validator = validator;
		this.intake = intake;
	}

	@Override
	public void execute(DelegateExecution execution) {
		UUID referrer = LeadNurture.leadId(execution);
		Object email = execution.getVariable(LeadNurture.REFERRAL_EMAIL);
		if (email == null || email.toString().isBlank()) {
			log.info("Lead {} referred to someone without an email; see the call notes", referrer);
			return;
		}
		Lead from = this.leads.findById(referrer).orElseThrow();
		String typed = Objects.toString(execution.getVariable(LeadNurture.REFERRAL_NAME), "").trim();
		String[] name = typed.isEmpty() ? new String[0] : typed.split("\\s+", 2);
		LeadRequest referral = new LeadRequest(email.toString(), null, (name.length > 0) ? name[0] : null,
				(name.length > 1) ? name[1] : null, from.company(), null, from.industry(),
				(from.companySize() != null) ? from.companySize().label() : null, from.country(),
				from.timeZone().getId(), "referral", from.campaign(), List.of(), null);
		try {
			this.intake.submit(this.validator.validate(referral), "referral from " + referrer);
		}
		catch (InvalidLeadException ex) {
			log.info("Referral from lead {} not recorded: {}", referrer, ex.errors());
		}
	}

}
