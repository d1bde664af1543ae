package io.nurtureflow.journey;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.People;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client gets from {@code /engine-rest} for a request the engine cannot take as it was
 * sent: a value longer than the engine stores, an id or membership that exists already, an id of a
 * user, group or tenant the engine does not allow, a
 * deployment whose XML does not parse, a serialized object the engine will not take, JSON that
 * does not parse. Each is a 4xx in Camunda's own error body saying what was wrong, and stores
 * nothing. Run on H2 and on PostgreSQL by the subclasses: the two databases word a value that is
 * too long or an id that is taken differently.
 */
abstract class EngineRestBadInputScenarios {

	private static final String PROCESS = "engine-rest-bad-input";

	/** Nurtureflow's administrator: the one who keeps users, groups and tenants. */
	private static final String ADMIN = Api.basic("admin", "admin-secret");

	/** A Java-serialized {@code String}, as a client would send an object in that format. */
	private static final String JAVA_SERIALIZED = "{\"value\":\"rO0ABXQAA2FiYw==\",\"type\":\"Object\",\"valueInfo\":"
			+ "{\"objectTypeName\":\"java.lang.String\","
			+ "\"serializationDataFormat\":\"application/x-java-serialized-object\"}}";

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Autowired
	AuthorizationService authorizations;

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	Api api;

	People people;

	/** Users, groups, tenants and tasks a test made under ids of its own, removed after it. */
	final List<Runnable> cleanUp = new ArrayList<>();

	@BeforeEach
	void deployAJourneyWithATask() {
		this.api = new Api(this.port);
		this.people = new People(this.identity);
		this.repository.createDeployment()
			.name(PROCESS)
			.addModelInstance(PROCESS + ".bpmn", Bpmn.createExecutableProcess(PROCESS)
				.camundaHistoryTimeToLive(1)
				.startEvent()
				.userTask("Task_CallBack")
				.name("Call back")
				.endEvent()
				.done())
			.deploy();
	}

	@AfterEach
	void removeWhatTheTestMade() {
		this.cleanUp.forEach(Runnable::run);
		this.repository.createDeploymentQuery()
			.deploymentNameLike(PROCESS + "%")
			.list()
			.forEach((deployment) -> this.repository.deleteDeployment(deployment.getId(), true));
	}

	@Test
	void aValueLongerThanTheEngineStoresIsABadRequest() {
		String userId = "u" + "x".repeat(64);
		assertTooLong(send(ADMIN, "POST", "/engine-rest/user/create", user(userId)), 64);
		assertThat(this.identity.createUserQuery().userId(userId).count()).isZero();

		String group = id("g");
		assertTooLong(send(ADMIN, "POST", "/engine-rest/group/create", group(group, "n".repeat(256))), 255);
		assertThat(this.identity.createGroupQuery().groupId(group).count()).isZero();

		long journeys = this.runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS).count();
		assertTooLong(start("{\"businessKey\":\"" + "k".repeat(256) + "\"}"), 255);
		String note = "{\"value\":\"" + "s".repeat(4001) + "\",\"type\":\"String\"}";
		assertTooLong(start("{\"variables\":{\"note\":" + note + "}}"), 4000);
		assertThat(this.runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS).count()).isEqualTo(journeys);

		String task = newTask();
		String manager = Api.basic(this.people.member("managers"), People.PASSWORD);
		assertTooLong(send(manager, "PUT", "/engine-rest/task/" + task, "{\"name\":\"" + "n".repeat(256) + "\"}"), 255);
		assertThat(this.tasks.createTaskQuery().taskId(task).singleResult().getName()).isEqualTo("Call back");
	}

	@Test
	void creatingAUserGroupOrTenantUnderAnIdInUseIsAConflict() {
		String userId = id("u");
		assertThat(send(ADMIN, "POST", "/engine-rest/user/create", user(userId)).status()).isEqualTo(204);
		String group = id("g");
		assertThat(send(ADMIN, "POST", "/engine-rest/group/create", group(group, "Callers")).status()).isEqualTo(204);
		String tenant = id("t");
		assertThat(send(ADMIN, "POST", "/engine-rest/tenant/create", tenant(tenant)).status()).isEqualTo(204);

		assertConflict(send(ADMIN, "POST", "/engine-rest/user/create", user(userId)), "The user already exists");
		assertConflict(send(ADMIN, "POST", "/engine-rest/group/create", group(group, "Others")),
				"The group already exists");
		assertConflict(send(ADMIN, "POST", "/engine-rest/tenant/create", tenant(tenant)), "The tenant already exists");
		assertThat(this.identity.createGroupQuery().groupId(group).singleResult().getName())
			.as("the group keeps its name")
			.isEqualTo("Callers");
	}

	@Test
	void anIdTheEngineDoesNotAllowIsABadRequest() {
		String invalid = "lead-nurture:1:x";
		assertBadRequest(send(ADMIN, "POST", "/engine-rest/user/create", user(invalid)),
				"is not a valid resource identifier");
		assertBadRequest(send(ADMIN, "POST", "/engine-rest/group/create", group(invalid, "Callers")),
				"is not a valid resource identifier");
		assertBadRequest(send(ADMIN, "POST", "/engine-rest/tenant/create", tenant(invalid)),
				"is not a valid resource identifier");
		assertThat(this.identity.createUserQuery().userId(invalid).count()).isZero();
		assertThat(this.identity.createGroupQuery().groupId(invalid).count()).isZero();
		assertThat(this.identity.createTenantQuery().tenantId(invalid).count()).isZero();

		// as the Welcome page sends a user's own profile, its id changed
		String rep = this.people.member("reps");
		String profile = "{\"id\":\"%00\",\"firstName\":\"Ana\",\"lastName\":\"Silva\",\"email\":\"a@b.c\"}";
		assertBadRequest(send(Api.basic(rep, People.PASSWORD), "PUT", "/engine-rest/user/" + rep + "/profile", profile),
				"is not a valid resource identifier");
		assertThat(this.identity.createUserQuery().userId(rep).singleResult().getFirstName()).isNotEqualTo("Ana");
	}

	@Test
	void addingAMemberTwiceIsAConflict() {
		String userId = id("u");
		String group = id("g");
		String tenant = id("t");
		send(ADMIN, "POST", "/engine-rest/user/create", user(userId));
		send(ADMIN, "POST", "/engine-rest/group/create", group(group, "Callers"));
		send(ADMIN, "POST", "/engine-rest/tenant/create", tenant(tenant));
		String[] memberships = { "/engine-rest/group/" + group + "/members/" + userId,
				"/engine-rest/tenant/" + tenant + "/user-members/" + userId,
				"/engine-rest/tenant/" + tenant + "/group-members/" + group };
		for (String membership : memberships) {
			assertThat(send(ADMIN, "PUT", membership, "").status()).as(membership).isEqualTo(204);
		}

		assertConflict(send(ADMIN, "PUT", memberships[0], ""), "The user is a member of the group already");
		assertConflict(send(ADMIN, "PUT", memberships[1], ""), "The user is a member of the tenant already");
		assertConflict(send(ADMIN, "PUT", memberships[2], ""), "The group is a member of the tenant already");
		assertThat(this.identity.createUserQuery().memberOfGroup(group).userId(userId).count()).isOne();
	}

	@Test
	void creatingATaskOrAnAuthorizationThatExistsIsAConflict() {
		String task = id("task");
		this.cleanUp.add(() -> this.tasks.deleteTask(task, true));
		String created = "{\"id\":\"" + task + "\",\"name\":\"Call back\"}";
		assertThat(send(ADMIN, "POST", "/engine-rest/task/create", created).status()).isEqualTo(204);
		assertConflict(send(ADMIN, "POST", "/engine-rest/task/create", "{\"id\":\"" + task + "\",\"name\":\"Other\"}"),
				"A task with this id exists already");
		assertThat(this.tasks.createTaskQuery().taskId(task).singleResult().getName()).isEqualTo("Call back");

		String userId = this.people.member("reps");
		this.cleanUp.add(() -> this.authorizations.createAuthorizationQuery()
			.userIdIn(userId)
			.resourceType(Resources.PROCESS_DEFINITION)
			.list()
			.forEach((authorization) -> this.authorizations.deleteAuthorization(authorization.getId())));
		String grant = "{\"type\":1,\"permissions\":[\"READ\"],\"userId\":\"" + userId + "\",\"resourceType\":"
				+ Resources.PROCESS_DEFINITION.resourceType() + ",\"resourceId\":\"" + PROCESS + "\"}";
		assertThat(send(ADMIN, "POST", "/engine-rest/authorization/create", grant).status()).isEqualTo(200);
		assertConflict(send(ADMIN, "POST", "/engine-rest/authorization/create", grant),
				"An authorization of this user or group on this resource exists already");
	}

	@Test
	void aDeploymentWhoseXmlDoesNotParseIsABadRequestAndDeploysNothing() {
		String designer = Api.basic(this.people.member("designers"), People.PASSWORD);

		for (String resource : new String[] { "broken.bpmn", "broken.dmn" }) {
			Response deployed = deploy(designer, resource, "<definitions");

			assertThat(deployed.status()).as(deployed.body()).isEqualTo(400);
			assertCamundasErrorBody(deployed);
			assertThat(deployed.json().path("message").asText()).contains(resource);
		}
		assertThat(deploy(designer, "not-xml.bpmn", "not XML at all").json().path("message").asText())
			.contains("Could not parse 'not-xml.bpmn'");
		assertThat(this.repository.createDeploymentQuery().deploymentName(PROCESS + "-by-rest").count()).isZero();
	}

	@Test
	void aSerializedObjectTheEngineDoesNotTakeIsABadRequest() {
		String instance = this.runtime.startProcessInstanceByKey(PROCESS).getId();
		String task = this.tasks.createTaskQuery().processInstanceId(instance).singleResult().getId();

		String prohibited = "Java serialization format is prohibited";
		assertBadRequest(start("{\"variables\":{\"x\":" + JAVA_SERIALIZED + "}}"), prohibited);
		assertBadRequest(send(ADMIN, "PUT", "/engine-rest/process-instance/" + instance + "/variables/x",
				JAVA_SERIALIZED), prohibited);
		assertBadRequest(send(ADMIN, "POST", "/engine-rest/task/" + task + "/complete",
				"{\"variables\":{\"x\":" + JAVA_SERIALIZED + "}}"), prohibited);
		assertBadRequest(start("{\"variables\":{\"x\":{\"value\":\"{}\",\"type\":\"Object\",\"valueInfo\":"
				+ "{\"serializationDataFormat\":\"application/json\"}}}}"), "no 'objectTypeName'");

		// as Camunda answers them itself
		assertBadRequest(start("{\"variables\":{\"x\":{\"value\":\"1\",\"type\":\"Fraction\"}}}"),
				"Unsupported value type 'Fraction'");
		assertBadRequest(start("{\"variables\":{\"x\":{\"value\":\"many\",\"type\":\"Integer\"}}}"),
				"Cannot convert value 'many'");
		assertThat(this.tasks.createTaskQuery().taskId(task).count()).as("the task is still open").isOne();
		assertThat(this.runtime.getVariable(instance, "x")).isNull();
	}

	/**
	 * Jersey's mapper of these answered {@code text/plain} or Camunda's an empty message, which of
	 * the two by chance. The answer says where the JSON went wrong, not what it was.
	 */
	@Test
	void jsonThatCannotBeReadIsABadRequestInCamundasErrorBody() {
		String task = newTask();

		assertBadRequest(start("{\"businessKey\":"), "The body is not valid JSON (line 1, column 16)");
		assertBadRequest(send(ADMIN, "POST", "/engine-rest/task/" + task + "/complete", "{"),
				"The body is not valid JSON (line 1, column 2)");
		assertBadRequest(start("{\"businessKey\":{\"lead\":1}}"),
				"The body's JSON does not fit the request at 'businessKey'");
		Response tooHigh = send(ADMIN, "PUT", "/engine-rest/task/" + task,
				"{\"name\":\"Call\",\"priority\":99999999999}");
		assertBadRequest(tooHigh, "at 'priority'");
		assertThat(tooHigh.json().path("type").asText()).isEqualTo("InvalidRequestException");
		assertThat(tooHigh.body()).doesNotContain("99999999999");
		assertThat(this.tasks.createTaskQuery().taskId(task).singleResult().getName()).isEqualTo("Call back");
	}

	private static void assertTooLong(Response response, int limit) {
		assertBadRequest(response, "too long");
		assertThat(response.json().path("message").asText()).contains("at most " + limit + " characters");
	}

	private static void assertBadRequest(Response response, String saying) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertCamundasErrorBody(response);
		assertThat(response.json().path("message").asText()).contains(saying);
	}

	private static void assertConflict(Response response, String saying) {
		assertThat(response.status()).as(response.body()).isEqualTo(409);
		assertCamundasErrorBody(response);
		assertThat(response.json().path("message").asText()).contains(saying);
	}

	/** As Tasklist, Cockpit and Camunda's clients read it: JSON, not a problem document. */
	private static void assertCamundasErrorBody(Response response) {
		assertThat(response.header("Content-Type")).startsWith("application/json");
		JsonNode body = response.json();
		assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "message", "code");
		assertThat(body.path("type").asText()).isNotBlank();
	}

	/** A fresh id the engine accepts (letters and digits), removed with whatever it names after the test. */
	private String id(String prefix) {
		String id = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		this.cleanUp.add(() -> {
			this.identity.deleteUser(id);
			this.identity.deleteGroup(id);
			this.identity.deleteTenant(id);
		});
		return id;
	}

	private String newTask() {
		String instance = this.runtime.startProcessInstanceByKey(PROCESS).getId();
		return this.tasks.createTaskQuery().processInstanceId(instance).singleResult().getId();
	}

	private static String user(String id) {
		return "{\"profile\":{\"id\":\"" + id + "\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"" + id
				+ "@nurtureflow.test\"},\"credentials\":{\"password\":\"" + People.PASSWORD + "\"}}";
	}

	private static String group(String id, String name) {
		return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\"WORKFLOW\"}";
	}

	private static String tenant(String id) {
		return "{\"id\":\"" + id + "\",\"name\":\"Acme\"}";
	}

	private Response start(String body) {
		return send(ADMIN, "POST", "/engine-rest/process-definition/key/" + PROCESS + "/start", body);
	}

	private Response send(String credentials, String method, String path, String body) {
		return this.api.send(this.api.request(path, "Authorization", credentials)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body)));
	}

	/** One resource as a designer's tool posts it to {@code /deployment/create}. */
	private Response deploy(String credentials, String resource, String content) {
		String boundary = "nurtureflow-test-boundary";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\n" + PROCESS
				+ "-by-rest\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\""
				+ resource + "\"\r\nContent-Type: application/xml\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
		return this.api.send(this.api.request("/engine-rest/deployment/create", "Authorization", credentials)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

}
