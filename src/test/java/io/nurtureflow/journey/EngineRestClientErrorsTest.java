package io.nurtureflow.journey;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.NurtureflowTest;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client gets from {@code /engine-rest}, as Tasklist calls it, for a request that cannot
 * be done because of the task's state rather than a fault of the server: two people acting on
 * one task at the same moment, a task claimed by someone else, a suspended journey. Each is a
 * client error in Camunda's own error body, never a 500. {@link HoldingTaskListener} keeps the
 * first of two racing requests inside its transaction until the other has changed the task, so
 * the race ends the same way every run.
 */
@NurtureflowTest
class EngineRestClientErrorsTest {

	private static final String PROCESS = "engine-rest-conflicts";

	private static final String ADMIN = Api.basic("admin", "admin-secret");

	/** The engine's exception code for an optimistic locking failure. */
	private static final int OPTIMISTIC_LOCKING = 1;

	@LocalServerPort
	int port;

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	Api api;

	@BeforeEach
	void deployAContestedTask() {
		this.api = new Api(this.port);
		BpmnModelInstance process = Bpmn.createExecutableProcess(PROCESS)
			.camundaHistoryTimeToLive(1)
			.startEvent()
			.userTask("Task_Contested")
			.camundaTaskListenerClass(TaskListener.EVENTNAME_ASSIGNMENT, HoldingTaskListener.class)
			.camundaTaskListenerClass(TaskListener.EVENTNAME_COMPLETE, HoldingTaskListener.class)
			.endEvent()
			.done();
		this.repository.createDeployment().name(PROCESS).addModelInstance(PROCESS + ".bpmn", process).deploy();
	}

	@AfterEach
	void removeTheProcess() {
		HoldingTaskListener.disarm();
		this.repository.createDeploymentQuery()
			.deploymentName(PROCESS)
			.list()
			.forEach((deployment) -> this.repository.deleteDeployment(deployment.getId(), true));
	}

	@Test
	void completingATaskSomeoneClaimedMeanwhileIsAConflict() throws Exception {
		String task = newTask();

		Response completed = race(() -> complete(task), () -> claim(task, "rep-b"));

		assertConflict(completed);
		assertThat(completed.json().path("code").asInt()).isEqualTo(OPTIMISTIC_LOCKING);
		assertThat(completed.json().path("message").asText()).contains(task);
		assertThat(this.tasks.createTaskQuery().taskId(task).singleResult().getAssignee())
			.as("the task stays open, with the claim that won")
			.isEqualTo("rep-b");
	}

	@Test
	void twoClaimsOfOneTaskAtOnceAreAConflictForTheSecondToCommit() throws Exception {
		String task = newTask();

		Response claimed = race(() -> claim(task, "rep-a"), () -> claim(task, "rep-b"));

		assertConflict(claimed);
		assertThat(claimed.json().path("type").asText()).isEqualTo("OptimisticLockingException");
		assertThat(claimed.json().path("code").asInt()).isEqualTo(OPTIMISTIC_LOCKING);
		assertThat(this.tasks.createTaskQuery().taskId(task).singleResult().getAssignee()).isEqualTo("rep-b");
	}

	@Test
	void claimingATaskSomeoneElseHasIsAConflict() {
		String task = newTask();
		assertThat(claim(task, "rep-a").status()).isEqualTo(204);

		Response claimed = claim(task, "rep-b");

		assertConflict(claimed);
		assertThat(claimed.json().path("type").asText()).isEqualTo("TaskAlreadyClaimedException");
		assertThat(this.tasks.createTaskQuery().taskId(task).singleResult().getAssignee()).isEqualTo("rep-a");
	}

	/** How "two reps complete one call" shows when the second comes a moment after the first. */
	@Test
	void actingOnATaskCompletedAMomentBeforeIsNotFound() {
		String task = newTask();
		assertThat(complete(task).status()).isEqualTo(204);

		Response completed = complete(task);
		Response claimed = claim(task, "rep-b");

		for (Response refused : List.of(completed, claimed)) {
			assertThat(refused.status()).as(refused.body()).isEqualTo(404);
			assertCamundasErrorBody(refused);
			assertThat(refused.json().path("message").asText()).contains("Cannot find task with id " + task);
		}
		assertThat(this.api.get("/engine-rest/task/" + task, "Authorization", ADMIN).status())
			.as("as reading it is")
			.isEqualTo(404);
	}

	/** Claiming it is refused 400 by the engine's REST API itself; completing it was a 500. */
	@Test
	void completingATaskOfASuspendedJourneyIsRefusedAsClaimingItIs() {
		String task = newTask();
		this.runtime.suspendProcessInstanceById(this.tasks.createTaskQuery().taskId(task).singleResult()
			.getProcessInstanceId());

		Response completed = complete(task);

		assertThat(completed.status()).as(completed.body()).isEqualTo(400);
		assertCamundasErrorBody(completed);
		assertThat(completed.json().path("message").asText()).contains("suspended");
		assertThat(claim(task, "rep-a").status()).isEqualTo(400);
		assertThat(this.tasks.createTaskQuery().taskId(task).count()).isOne();
	}

	/**
	 * Starts {@code held}, holds it inside its transaction after it read the task, lets
	 * {@code other} change the task and commit, and returns what {@code held} was answered.
	 */
	private Response race(Request held, Request other) throws Exception {
		HoldingTaskListener.Hold hold = HoldingTaskListener.holdFirst();
		CompletableFuture<Response> first = CompletableFuture.supplyAsync(held::send);
		hold.awaitReached();
		assertThat(other.send().status()).as("the request that was not held").isEqualTo(204);
		hold.release();
		return first.get(30, TimeUnit.SECONDS);
	}

	private static void assertConflict(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(409);
		assertCamundasErrorBody(response);
	}

	/** As Tasklist and Cockpit read it: JSON, not a problem document. */
	private static void assertCamundasErrorBody(Response response) {
		assertThat(response.header("Content-Type")).startsWith("application/json");
		JsonNode body = response.json();
		assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "message", "code");
		assertThat(body.path("message").asText()).isNotBlank();
	}

	private String newTask() {
		String instance = this.runtime.startProcessInstanceByKey(PROCESS).getId();
		return this.tasks.createTaskQuery().processInstanceId(instance).singleResult().getId();
	}

	private Response complete(String task) {
		return post("/engine-rest/task/" + task + "/complete", "{}");
	}

	private Response claim(String task, String user) {
		return post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"" + user + "\"}");
	}

	private Response post(String path, String body) {
		return this.api.send(this.api.request(path, "Authorization", ADMIN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	@FunctionalInterface
	private interface Request {

		Response send();

	}

}
