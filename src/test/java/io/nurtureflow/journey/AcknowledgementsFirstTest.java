package io.nurtureflow.journey;

import java.util.List;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.NurtureflowTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AcquireJobsCmd;
import org.camunda.bpm.engine.impl.jobexecutor.AcquiredJobs;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speed to lead comes first: when a batch of other work fell due earlier (a morning's cadence
 * touches, say), the job executor's next acquisitions take a new lead's first steps before it:
 * the acknowledgements (job priority 100 in the diagram) and the scoring that puts the call in
 * front of a rep (50). The engine acquires by priority.
 */
@NurtureflowTest
class AcknowledgementsFirstTest {

	private static final String BACKLOG = "backlog-of-earlier-work";

	@LocalServerPort
	int port;

	@Autowired
	ProcessEngine engine;

	private Deployment backlog;

	@AfterEach
	void removeBacklog() {
		if (this.backlog != null) {
			this.engine.getRepositoryService().deleteDeployment(this.backlog.getId(), true);
		}
	}

	@Test
	void aNewLeadsAcknowledgementsAreAcquiredBeforeWorkThatFellDueEarlier() {
		this.backlog = this.engine.getRepositoryService()
			.createDeployment()
			.addModelInstance(BACKLOG + ".bpmn", Bpmn.createExecutableProcess(BACKLOG)
				.camundaHistoryTimeToLive(1)
				.startEvent()
				.serviceTask()
				.camundaAsyncBefore()
				.camundaExpression("${true}")
				.endEvent()
				.done())
			.deploy();
		for (int i = 0; i < 5; i++) {
			this.engine.getRuntimeService().startProcessInstanceByKey(BACKLOG);
		}

		var created = new Api(this.port).postJson("/api/leads", """
				{"email":"%s@example.com","phone":"+1 415 555 2671","timeZone":"America/Los_Angeles",
				 "consent":{"email":true,"sms":true}}""".formatted(UUID.randomUUID()));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String journey = this.engine.getRuntimeService()
			.createProcessInstanceQuery()
			.processInstanceBusinessKey(created.json().get("id").asText())
			.singleResult()
			.getId();
		List<String> firstSteps = jobsOf(journey);
		assertThat(firstSteps).as("the email acknowledgement, and scoring before the call").hasSize(2);

		// Other leads' first steps may wait too (the context is shared): take as many jobs as there
		// are speed-to-lead steps due. Acquired in order of creation instead, the backlog would
		// take the places of this lead's two.
		List<String> acquired = acquireNext(dueWithPriorityOfAtLeast(50));
		assertThat(acquired).containsAll(firstSteps).doesNotContainAnyElementsOf(backlogJobs());
		release(acquired);

		firstSteps.forEach(this.engine.getManagementService()::executeJob);
		List<String> smsAcknowledgement = jobsOf(journey).stream().filter((job) -> !firstSteps.contains(job)).toList();
		assertThat(smsAcknowledgement).as("the SMS acknowledgement the scoring queued").hasSize(1);
		assertThat(acquireNext(dueWithPriorityOfAtLeast(100))).containsAll(smsAcknowledgement)
			.doesNotContainAnyElementsOf(backlogJobs());
	}

	private List<String> jobsOf(String journey) {
		return this.engine.getManagementService()
			.createJobQuery()
			.processInstanceId(journey)
			.executable()
			.list()
			.stream()
			.map(Job::getId)
			.toList();
	}

	private int dueWithPriorityOfAtLeast(long priority) {
		return (int) this.engine.getManagementService()
			.createJobQuery()
			.executable()
			.priorityHigherThanOrEquals(priority)
			.count();
	}

	private List<String> backlogJobs() {
		return this.engine.getManagementService()
			.createJobQuery()
			.processDefinitionKey(BACKLOG)
			.list()
			.stream()
			.map(Job::getId)
			.toList();
	}

	/** Gives acquired jobs back, as if their node had let go: a locked job keeps its journey's others back. */
	private void release(List<String> jobIds) {
		var configuration = (ProcessEngineConfigurationImpl) this.engine.getProcessEngineConfiguration();
		configuration.getCommandExecutorTxRequired().execute((context) -> {
			jobIds.forEach((id) -> {
				JobEntity job = context.getJobManager().findJobById(id);
				job.setLockOwner(null);
				job.setLockExpirationTime(null);
			});
			return null;
		});
	}

	/** What the job executor's acquisition thread would take next, {@code count} jobs at most. */
	private List<String> acquireNext(int count) {
		var configuration = (ProcessEngineConfigurationImpl) this.engine.getProcessEngineConfiguration();
		AcquiredJobs acquired = configuration.getCommandExecutorTxRequired()
			.execute(new AcquireJobsCmd(configuration.getJobExecutor(), count));
		return acquired.getJobIdBatches().stream().flatMap(List::stream).toList();
	}

}
