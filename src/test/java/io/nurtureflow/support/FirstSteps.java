package io.nurtureflow.support;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Intake only queues a new journey's first steps. Tests that look at what follows them (the call
 * task, the SMS acknowledgement) run the scoring step first, as the job executor would.
 */
public final class FirstSteps {

	private FirstSteps() {
	}

	/** Runs the lead's scoring job: the call task and the SMS acknowledgement's job exist afterwards. */
	public static void score(RuntimeService runtime, ManagementService management, String leadId) {
		String journey = runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(leadId)
			.processDefinitionKey("lead-nurture")
			.singleResult()
			.getId();
		Job scoring = management.createJobQuery().processInstanceId(journey).activityId("Task_ScoreLead").singleResult();
		if (scoring == null) {
			throw new AssertionError("Lead " + leadId + " has no scoring step waiting");
		}
		management.executeJob(scoring.getId());
	}

}
