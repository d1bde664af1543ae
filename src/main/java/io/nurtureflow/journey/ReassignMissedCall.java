package io.nurtureflow.journey;

import java.util.List;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.task.Task;

import org.springframework.stereotype.Component;

/**
 * {@code ${reassignMissedCall}}: a manager who answers a missed call SLA with "Reassigned to
 * another rep" hands the lead's open call task (the first call, or the call again if the first one
 * was logged meanwhile) to the rep named on the form, taking it from a rep who claimed it: that
 * rep sat on the call past the SLA, and the manager's answer decides who calls now. A name that is
 * no rep refuses the completion, so the escalation stays open and the manager sees why. With no
 * call open (the rep called meanwhile) there is nothing left to reassign, and the escalation
 * completes. {@code reassignTo} lives on the escalation task's own scope (an empty input mapping
 * in the diagram), never on the journey.
 */
@Component("reassignMissedCall")
class ReassignMissedCall implements TaskListener {

	/** The group whose members make the calls: the call tasks' candidate group. */
	static final String REPS = "reps";

	@Override
	public void notify(DelegateTask escalation) {
		if (!LeadNurture.REASSIGNED.equals(escalation.getVariable(LeadNurture.ESCALATION_ACTION))) {
			return;
		}
		Object named = escalation.getVariable(LeadNurture.REASSIGN_TO);
		String rep = (named instanceof String text) ? text.strip() : "";
		// The manager may complete the escalation but need not read the users or the reps' tasks:
		// the reassignment is the diagram's consequence of that completion.
		Context.getCommandContext().runWithoutAuthorization(() -> {
			reassign(escalation, rep);
			return null;
		});
	}

	private static void reassign(DelegateTask escalation, String rep) {
		TaskService tasks = escalation.getProcessEngineServices().getTaskService();
		List<Task> calls = tasks.createTaskQuery()
			.processInstanceId(escalation.getProcessInstanceId())
			.taskDefinitionKeyIn(LeadNurture.TASK_CALL_NEW_LEAD, LeadNurture.TASK_CALL_LEAD_AGAIN)
			.list();
		if (calls.isEmpty()) {
			return;
		}
		refuseUnlessARep(escalation.getProcessEngineServices().getIdentityService(), rep);
		calls.forEach((call) -> tasks.setAssignee(call.getId(), rep));
	}

	private static void refuseUnlessARep(IdentityService identity, String rep) {
		if (rep.isEmpty()) {
			throw new ReassignmentRefused("Say whom to reassign the call to: the user id of a rep.");
		}
		if (identity.createUserQuery().userId(rep).count() == 0) {
			throw new ReassignmentRefused("There is no user '" + rep + "': reassign the call to the user id of a rep.");
		}
		if (identity.createUserQuery().userId(rep).memberOfGroup(REPS).count() == 0) {
			throw new ReassignmentRefused("'" + rep + "' is not a rep (not in group " + REPS
					+ "): reassign the call to someone who makes calls.");
		}
	}

	/** A reassignment the manager asked for that cannot be made: the request's fault, answered 400. */
	static final class ReassignmentRefused extends BadUserRequestException {

		ReassignmentRefused(String message) {
			super(message);
		}

	}

}
