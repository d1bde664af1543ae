package io.nurtureflow.journey;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadRepository;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;

import org.springframework.stereotype.Component;

/**
 * {@code ${prepareCallTask}}: puts what a rep needs to call well on the task itself, as task
 * variables the form shows. They belong to the task, not the journey, and the form sends none
 * of them back.
 */
@Component("prepareCallTask")
class PrepareCallTask implements TaskListener {

	private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("EEE HH:mm (xxx)", Locale.ENGLISH);

	private final LeadRepository leads;

	private final Clock clock;

	PrepareCallTask(LeadRepository leads, Clock clock) {
		this.leads = leads;
		this.clock = clock;
	}

	@Override
	public void notify(DelegateTask task) {
		var leadId = LeadNurture.leadId(task.getExecution());
		Lead lead = this.leads.findById(leadId)
			.orElseThrow(() -> new IllegalStateException("Journey refers to unknown lead " + leadId));
		task.setVariableLocal("leadName", text(lead.displayName()));
		task.setVariableLocal("leadCompany", text(lead.company()));
		task.setVariableLocal("leadTitle", text(lead.title()));
		task.setVariableLocal("leadPhone", text(lead.phone()));
		task.setVariableLocal("leadEmail", lead.email());
		task.setVariableLocal("leadTimeZone", lead.timeZone().getId());
		task.setVariableLocal("leadLocalTime",
				ZonedDateTime.ofInstant(this.clock.instant(), lead.timeZone()).format(LOCAL_TIME));
	}

	private static String text(String value) {
		return Objects.requireNonNullElse(value, "");
	}

}
