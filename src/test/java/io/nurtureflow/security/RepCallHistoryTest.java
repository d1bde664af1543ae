package io.nurtureflow.security;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.task.Comment;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a rep reads of a task's history in Tasklist, which asks the engine's history for the task
 * before it adds or shows a comment and for the History tab: all of it for the calls of their own
 * group, nothing of customer success's tasks or of the journeys themselves.
 */
@NurtureflowTest
class RepCallHistoryTest {

	private static final String PROCESS = "rep-call-history";

	private static final String ENGINE = "/camunda/api/engine/engine/default";

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

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	People people;

	String rep;

	WebappSession tasklist;

	String journey;

	String call;

	String checkIn;

	@BeforeEach
	void aJourneyWithACallForRepsAndACheckInForCustomerSuccess() {
		this.repository.createDeployment()
			.name(PROCESS)
			.addModelInstance(PROCESS + ".bpmn", Bpmn.createExecutableProcess(PROCESS)
				.camundaHistoryTimeToLive(1)
				.startEvent()
				.parallelGateway("Gateway_Fork")
				.userTask("Task_CallBack")
				.name("Call back")
				.camundaCandidateGroups("reps")
				.endEvent()
				.moveToNode("Gateway_Fork")
				.userTask("Task_CheckIn")
				.name("Check in")
				.camundaCandidateGroups("customer-success")
				.endEvent()
				.done())
			.deploy();
		this.journey = this.runtime.startProcessInstanceByKey(PROCESS, Map.of("leadId", "a-lead")).getId();
		this.call = task("Task_CallBack");
		this.checkIn = task("Task_CheckIn");
		this.people = new People(this.identity);
		this.rep = this.people.member("reps");
		this.tasklist = new WebappSession(this.port);
		assertThat(this.tasklist.login(this.rep, People.PASSWORD, "tasklist")).isEqualTo(200);
	}

	@AfterEach
	void removeTheProcess() {
		this.identity.clearAuthentication();
		this.repository.createDeploymentQuery()
			.deploymentName(PROCESS)
			.list()
			.forEach((deployment) -> this.repository.deleteDeployment(deployment.getId(), true));
	}

	@Test
	void aRepCommentsOnACallOfTheirGroupAndSeesItsHistoryTab() {
		HttpResponse<String> added = this.tasklist.send("POST", ENGINE + "/task/" + this.call + "/comment/create",
				"{\"message\":\"Wants a call back after lunch\"}");
		assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
		assertThat(this.tasklist.send("POST", ENGINE + "/task/" + this.call + "/claim",
				"{\"userId\":\"" + this.rep + "\"}").statusCode()).isEqualTo(204);

		// Tasklist's History tab: the task's operation log and its comments
		assertThat(json(this.tasklist.get(ENGINE + "/history/user-operation?taskId=" + this.call)))
			.extracting((entry) -> entry.path("operationType").asText())
			.contains("Claim");
		assertThat(json(this.tasklist.get(ENGINE + "/task/" + this.call + "/comment")))
			.extracting((comment) -> comment.path("message").asText())
			.containsExactly("Wants a call back after lunch");
		// and the engine's REST API, with basic auth, answers the same
		Api.Response viaRest = new Api(this.port).postJson("/engine-rest/task/" + this.call + "/comment/create",
				"{\"message\":\"No answer at 14:00\"}", "Authorization", Api.basic(this.rep, People.PASSWORD));
		assertThat(viaRest.status()).as(viaRest.body()).isEqualTo(200);
		assertThat(this.tasks.getTaskComments(this.call)).extracting(Comment::getFullMessage)
			.containsExactlyInAnyOrder("Wants a call back after lunch", "No answer at 14:00");
	}

	@Test
	void aRepReadsNothingOfAnotherGroupsTaskNorOfTheJourney() {
		String colleague = this.people.member("customer-success");
		this.identity.setAuthentication(colleague, List.of("customer-success"));
		this.tasks.claim(this.checkIn, colleague);
		this.tasks.createComment(this.checkIn, null, "Renewal at risk");
		this.identity.clearAuthentication();

		HttpResponse<String> comments = this.tasklist.get(ENGINE + "/task/" + this.checkIn + "/comment");
		assertThat(comments.statusCode()).as(comments.body()).isEqualTo(404);
		assertThat(comments.body()).doesNotContain("Renewal at risk");
		HttpResponse<String> added = this.tasklist.send("POST", ENGINE + "/task/" + this.checkIn + "/comment/create",
				"{\"message\":\"Sneaky\"}");
		assertThat(added.statusCode()).as(added.body()).isEqualTo(400);
		assertThat(this.tasks.getTaskComments(this.checkIn)).hasSize(1);
		assertThat(json(this.tasklist.get(ENGINE + "/history/task?taskId=" + this.checkIn))).isEmpty();
		assertThat(json(this.tasklist.get(ENGINE + "/history/user-operation?taskId=" + this.checkIn))).isEmpty();

		// of the journey, a rep reads their own call and nothing else
		assertThat(json(this.tasklist.get(ENGINE + "/history/task?processInstanceId=" + this.journey)))
			.extracting((task) -> task.path("id").asText())
			.containsExactly(this.call);
		for (String history : new String[] { "process-instance", "activity-instance", "variable-instance",
				"detail" }) {
			assertThat(json(this.tasklist.get(ENGINE + "/history/" + history + "?processInstanceId=" + this.journey)))
				.as(history)
				.isEmpty();
		}
		assertThat(json(this.tasklist.get(ENGINE + "/history/process-instance/count")).path("count").asLong())
			.isZero();
	}

	/** Tasks that were open before the engine granted their history: the upgrade grants it (db/migration/V30). */
	@Test
	void callsOpenBeforeTheUpgradeGetTheHistoryGrantTheEngineGivesNewOnes() {
		List<Map<String, Object>> granted = historyGrants(this.call);
		assertThat(granted).hasSize(1);
		List<Map<String, Object>> untouched = historyGrants(this.checkIn);
		// as stored before this release: no grant on the call's history
		this.jdbc.sql("delete from ACT_RU_AUTHORIZATION where RESOURCE_TYPE_ = ? and RESOURCE_ID_ = ?")
			.param(Resources.HISTORIC_TASK.resourceType())
			.param(this.call)
			.update();

		new ResourceDatabasePopulator(new ClassPathResource("db/migration/V30__task_history_grants.sql"))
			.execute(this.dataSource);

		assertThat(historyGrants(this.call)).isEqualTo(granted);
		assertThat(historyGrants(this.checkIn)).as("a task the engine granted already").isEqualTo(untouched);
		assertThat(this.tasklist.send("POST", ENGINE + "/task/" + this.call + "/comment/create",
				"{\"message\":\"Left a voicemail\"}").statusCode()).isEqualTo(200);
	}

	private List<Map<String, Object>> historyGrants(String task) {
		return this.jdbc.sql("select REV_, TYPE_, GROUP_ID_, USER_ID_, PERMS_, REMOVAL_TIME_, ROOT_PROC_INST_ID_"
				+ " from ACT_RU_AUTHORIZATION where RESOURCE_TYPE_ = ? and RESOURCE_ID_ = ?")
			.param(Resources.HISTORIC_TASK.resourceType())
			.param(task)
			.query()
			.listOfRows();
	}

	private String task(String key) {
		return this.tasks.createTaskQuery()
			.processInstanceId(this.journey)
			.taskDefinitionKey(key)
			.singleResult()
			.getId();
	}

	private static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		try {
			return JSON.readTree(response.body());
		}
		catch (java.io.IOException ex) {
			throw new AssertionError("Not JSON: " + response.body(), ex);
		}
	}

}
