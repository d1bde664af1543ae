package io.nurtureflow.journey;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Tasklist gets from the webapps' own engine API ({@code /camunda/api/engine}, not
 * {@code /engine-rest}) when a rep does what can fail through no fault of the server: the same
 * client errors, in Camunda's body, as {@code /engine-rest} answers ({@link EngineRestClientErrorsTest},
 * {@link EngineRestBadInputScenarios}), and nothing stored.
 */
@NurtureflowTest
class WebappEngineApiTest {

	static final String PROCESS = "webapp-engine-api";

	static final String TASKS = "/camunda/api/engine/engine/default/task/";

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	WebappSession repA;

	WebappSession repB;

	String repAId;

	String repBId;

	@BeforeEach
	void twoRepsInTasklist() {
		deploy(this.repository, PROCESS, null);
		People people = new People(this.identity);
		this.repAId = people.member("reps");
		this.repA = new WebappSession(this.port);
		assertThat(this.repA.login(this.repAId, People.PASSWORD, "tasklist")).isEqualTo(200);
		this.repBId = people.member("reps");
		this.repB = new WebappSession(this.port);
		assertThat(this.repB.login(this.repBId, People.PASSWORD, "tasklist")).isEqualTo(200);
	}

	@AfterEach
	void removeTheProcess() {
		undeploy(this.repository, PROCESS);
	}

	@Test
	void submittingTheFormOfACallAnotherRepJustCompletedIsNotFound() {
		String task = newTask();
		assertThat(this.repA.send("POST", TASKS + task + "/submit-form", "{}").statusCode()).isEqualTo(204);

		for (String action : new String[] { "/submit-form", "/complete" }) {
			HttpResponse<String> refused = this.repB.send("POST", TASKS + task + action, "{}");

			assertThat(refused.statusCode()).as(action + " " + refused.body()).isEqualTo(404);
			assertThat(camundasBody(refused).path("message").asText()).contains("Cannot find task with id " + task);
		}
	}

	@Test
	void claimingACallAnotherRepClaimedIsAConflict() {
		String task = newTask();
		assertThat(this.repA.send("POST", TASKS + task + "/claim", "{\"userId\":\"" + this.repAId + "\"}")
			.statusCode()).isEqualTo(204);

		HttpResponse<String> claimed = this.repB.send("POST", TASKS + task + "/claim",
				"{\"userId\":\"" + this.repBId + "\"}");

		assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(409);
		assertThat(camundasBody(claimed).path("type").asText()).isEqualTo("TaskAlreadyClaimedException");
		assertThat(this.tasks.createTaskQuery().taskId(task).singleResult().getAssignee()).isEqualTo(this.repAId);
	}

	@Test
	void aNoteLongerThanTheEngineStoresIsABadRequestAndLeavesTheCallOpen() {
		String task = newTask();
		String note = "{\"variables\":{\"note\":{\"value\":\"" + "s".repeat(4001) + "\",\"type\":\"String\"}}}";

		HttpResponse<String> submitted = this.repA.send("POST", TASKS + task + "/submit-form", note);

		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(400);
		assertThat(camundasBody(submitted).path("message").asText())
			.contains("A value is too long: it may have at most 4000 characters");
		assertThat(this.tasks.createTaskQuery().taskId(task).count()).as("the call is still open").isOne();
		assertThat(this.tasks.getVariable(task, "note")).isNull();
	}

	@Test
	void aFormWhoseJsonDoesNotParseIsABadRequest() {
		String task = newTask();

		HttpResponse<String> submitted = this.repA.send("POST", TASKS + task + "/submit-form", "{\"variables\":");

		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(400);
		JsonNode body = camundasBody(submitted);
		assertThat(body.path("type").asText()).isEqualTo("InvalidRequestException");
		assertThat(body.path("message").asText()).startsWith("The body is not valid JSON (line 1");
		assertThat(this.tasks.createTaskQuery().taskId(task).count()).isOne();
	}

	@Test
	void readingTheFormOrVariablesOfACallAnotherRepJustCompletedIsNotFound() {
		String task = newTask();
		assertThat(this.repA.send("POST", TASKS + task + "/submit-form", "{}").statusCode()).isEqualTo(204);

		for (String read : new String[] { "/deployed-form", "/rendered-form", "/variables" }) {
			HttpResponse<String> refused = this.repB.get(TASKS + task + read);

			assertThat(refused.statusCode()).as(read + " " + refused.body()).isEqualTo(404);
			camundasBody(refused);
		}
	}

	@Test
	void aPageThatNoDatabaseCanGiveIsABadRequest() {
		for (String query : new String[] { TASKS + "?maxResults=-1", TASKS + "?firstResult=-2147483648",
				"/camunda/api/cockpit/plugin/base/default/process-instance?maxResults=-1",
				"/camunda/api/cockpit/plugin/base/default/incident?firstResult=abc" }) {
			HttpResponse<String> refused = this.repA.get(query);

			assertThat(refused.statusCode()).as(query + " " + refused.body()).isEqualTo(400);
			assertThat(camundasBody(refused).path("message").asText())
				.matches("(firstResult|maxResults) must be a whole number from 0 to 2147483647");
		}
	}

	/** A call for reps, with a listener on completion when one is given (an expression). */
	static void deploy(RepositoryService repository, String process, String onComplete) {
		var task = Bpmn.createExecutableProcess(process)
			.camundaHistoryTimeToLive(1)
			.startEvent()
			.userTask("Task_CallBack")
			.name("Call back")
			.camundaCandidateGroups("reps");
		if (onComplete != null) {
			task.camundaTaskListenerExpression(TaskListener.EVENTNAME_COMPLETE, onComplete);
		}
		repository.createDeployment()
			.name(process)
			.addModelInstance(process + ".bpmn", task.endEvent().done())
			.deploy();
	}

	static void undeploy(RepositoryService repository, String process) {
		repository.createDeploymentQuery()
			.deploymentName(process)
			.list()
			.forEach((deployment) -> repository.deleteDeployment(deployment.getId(), true));
	}

	/** As Tasklist reads it: JSON with Camunda's fields, not a problem document nor an HTML page. */
	static JsonNode camundasBody(HttpResponse<String> response) {
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
		try {
			JsonNode body = JSON.readTree(response.body());
			assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "message", "code");
			return body;
		}
		catch (java.io.IOException ex) {
			throw new AssertionError("Not JSON: " + response.body(), ex);
		}
	}

	private String newTask() {
		String instance = this.runtime.startProcessInstanceByKey(PROCESS).getId();
		return this.tasks.createTaskQuery().processInstanceId(instance).singleResult().getId();
	}

}
