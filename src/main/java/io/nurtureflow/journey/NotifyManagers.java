package io.nurtureflow.journey;

import io.nurtureflow.channel.email.ManagerNotifications;
import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadRepository;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/**
 * {@code ${notifyManagers}}: tells managers that a new lead was not called within the SLA, under
 * a key like a touch's, so a retried or repeated job does not tell them twice.
 */
@Component("notifyManagers")
class NotifyManagers implements JavaDelegate {

	private final LeadRepository leads;

	private final ManagerNotifications notifications;

	NotifyManagers(LeadRepository leads, ManagerNotifications notifications) {
		this.leads = leads;
		this.notifications = notifications;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Lead lead = this.leads.findById(LeadNurture.leadId(execution)).orElseThrow();
		String who = lead.displayName().isEmpty() ? lead.email() : lead.displayName();
		this.notifications.notify(TouchKeys.next(execution), "Call SLA missed: " + who,
				"The new lead " + who + ((lead.company() != null) ? " (" + lead.company() + ")" : "")
						+ " has not been called within the SLA. The escalation is in Tasklist; the journey is "
						+ execution.getProcessInstanceId() + " in Cockpit.");
	}

}
