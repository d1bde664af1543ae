package io.nurtureflow.security;

import java.net.http.HttpRequest;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.FirstSteps;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Who gets in where; run on H2 and on PostgreSQL by the subclasses. */
abstract class SecurityScenarios {

	private static final String PASSWORD = "correct horse battery staple";

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Autowired
	AuthorizationService authorizations;

	@Autowired
	FilterService filters;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	@Autowired
	RepositoryService repository;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@AfterEach
	void forgetAuthentication() {
		this.identity.clearAuthentication();
	}

	@Test
	void theApiRefusesRequestsWithoutValidCredentials() {
		Response anonymous = this.api.get("/api/leads?email=a@b.co", "Authorization", "");
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
		assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");

		assertThat(this.api.get("/api/leads?email=a@b.co", "X-Api-Key", "wrong-key").status()).isEqualTo(401);
		assertThat(this.api.get("/api/leads?email=a@b.co", "Authorization", "Basic !!!").status()).isEqualTo(401);
		assertThat(this.api.get("/api/leads?email=a@b.co", "Authorization", Api.basic("admin", "wrong")).status())
			.isEqualTo(401);
		Response post = this.api.send(this.api.request("/api/leads", "Authorization", "")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"sneaky@example.com\"}")));
		assertThat(post.status()).isEqualTo(401);
		assertThat(this.api.get("/api/leads?email=sneaky@example.com").status()).isEqualTo(404);
	}

	@Test
	void theApiAcceptsConfiguredKeysPlainOrByDigest() {
		assertThat(this.api.get("/api/leads?email=nobody@example.com").status()).isEqualTo(404);
		assertThat(this.api.get("/api/leads?email=nobody@example.com", "X-Api-Key", "digest-key").status())
			.isEqualTo(404);
	}

	@Test
	void theApiAcceptsBasicAuthOfIntegrationsAndRefusesOtherGroups() {
		String integration = user("integrations");
		String rep = user("reps");

		assertThat(this.api.get("/api/leads?email=nobody@example.com", "Authorization", Api.basic(integration, PASSWORD))
			.status()).isEqualTo(404);
		assertThat(this.api.get("/api/leads?email=nobody@example.com", "Authorization", Api.basic(rep, PASSWORD))
			.status()).isEqualTo(403);
	}

	@Test
	void theEngineRestApiNeedsBasicAuth() {
		assertThat(this.api.get("/engine-rest/process-definition", "Authorization", "").status()).isEqualTo(401);
		assertThat(this.api.get("/engine-rest/process-definition", "X-Api-Key", Api.API_KEY).status())
			.isEqualTo(401);
		Response admin = this.api.get("/engine-rest/process-definition?key=lead-nurture", "Authorization",
				Api.basic("admin", "admin-secret"));
		assertThat(admin.status()).isEqualTo(200);
		assertThat(admin.body()).contains("\"key\":\"lead-nurture\"");
	}

	/**
	 * A browser sends the basic auth it has cached with any site's form post: another site's page
	 * must not deploy a process or add a lead as the person signed in. Servers send no origin.
	 */
	@Test
	void anotherSitesPageCannotChangeAnythingWithTheCredentialsABrowserCached() {
		String admin = Api.basic("admin", "admin-secret");
		String own = "http://localhost:" + this.port;
		String email = "cross-site-" + UUID.randomUUID() + "@example.com";
		String lead = "{\"email\":\"" + email + "\",\"consent\":{\"email\":true}}";

		assertThat(this.api.postJson("/api/leads", lead, "Authorization", admin, "Origin", "https://evil.example")
			.status()).isEqualTo(403);
		assertThat(this.api.postJson("/api/leads", lead, "Authorization", admin, "Sec-Fetch-Site", "cross-site")
			.status()).isEqualTo(403);
		assertThat(this.api.postJson("/api/leads", lead, "Authorization", admin, "Origin", "null").status())
			.isEqualTo(403);
		assertThat(this.api.get("/api/leads?email=" + email).status()).as("nothing stored").isEqualTo(404);
		Response deployment = deploy(admin, "Origin", "https://evil.example");
		assertThat(deployment.status()).isEqualTo(403);
		assertThat(deployment.header("Content-Type")).startsWith("application/problem+json");
		assertThat(this.api.get("/engine-rest/process-definition/count?key=cross-site", "Authorization", admin).body())
			.isEqualTo("{\"count\":0}");

		// reads pass (a browser keeps the answer from the other site); servers and own pages change
		assertThat(this.api.get("/api/leads?email=" + email, "Origin", "https://evil.example").status())
			.isEqualTo(404);
		assertThat(this.api.postJson("/api/leads", lead, "Authorization", admin, "Origin", own).status())
			.isEqualTo(201);
		assertThat(deploy(admin, "Sec-Fetch-Site", "same-origin").status()).isEqualTo(200);
		this.repository.createDeploymentQuery()
			.deploymentName("cross-site")
			.list()
			.forEach((made) -> this.repository.deleteDeployment(made.getId(), true));
	}

	/** A one-task process as a form would post it (multipart), under the key {@code cross-site}. */
	private Response deploy(String credentials, String header, String value) {
		String boundary = "nurtureflow-test-boundary";
		String bpmn = """
				<?xml version="1.0" encoding="UTF-8"?>
				<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
				    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="test">
				  <process id="cross-site" isExecutable="true" camunda:historyTimeToLive="1">
				    <startEvent id="start" />
				  </process>
				</definitions>
				""";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\ncross-site\r\n"
				+ "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"cross-site.bpmn\"\r\n"
				+ "Content-Type: application/xml\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
		return this.api.send(this.api.request("/engine-rest/deployment/create", "Authorization", credentials, header, value)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	@Test
	void theWebappsNeedCamundasLoginAndGrantAppsByGroup() {
		assertThat(this.api.get("/camunda/api/engine/engine/default/process-definition", "Authorization", "").status())
			.isIn(401, 403);
		String rep = user("reps");
		String manager = manager();

		assertThat(login(rep, "tasklist")).isEqualTo(200);
		assertThat(login(rep, "cockpit")).isIn(401, 403);
		assertThat(login(manager, "cockpit")).isEqualTo(200);
		assertThat(login(rep, "admin")).isIn(401, 403);
		assertThat(login("admin", "admin")).isEqualTo(200);
		WebappSession cockpit = new WebappSession(this.port);
		assertThat(cockpit.login(manager, PASSWORD, "cockpit")).isEqualTo(200);
		assertThat(cockpit.get("/camunda/api/engine/engine/default/process-definition?key=lead-nurture").body())
			.contains("lead-nurture");
	}

	@Test
	void theAdminSetupPageIsClosedForGood() {
		Response create = this.api.send(this.api.request("/camunda/api/admin/setup/default/user/create", "Authorization", "")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"profile\":{\"id\":\"intruder\"},\"credentials\":{\"password\":\"x\"}}")));

		assertThat(create.status()).isEqualTo(403);
		assertThat(this.api.get("/camunda/app/admin/default/setup/", "Authorization", "").status()).isEqualTo(403);
		assertThat(this.api.get("/camunda//api/admin/setup/default/user/create", "Authorization", "").status())
			.isIn(400, 403, 404);
		assertThat(this.identity.createUserQuery().userId("intruder").count()).isZero();
	}

	@Test
	void healthIsPublicAndSaysNoMoreThanUpWhileMetricsNeedCredentials() {
		Response health = this.api.get("/actuator/health", "Authorization", "");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("db").doesNotContain("diskSpace");

		assertThat(this.api.get("/actuator/prometheus", "Authorization", "").status()).isEqualTo(401);
		Response metrics = this.api.get("/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void groupsGetTheAuthorizationsOfTheirWork() {
		assertThat(allowed("reps", Permissions.ACCESS, Resources.APPLICATION, "tasklist")).isTrue();
		assertThat(allowed("reps", Permissions.ACCESS, Resources.APPLICATION, "cockpit")).isFalse();
		assertThat(allowed("reps", Permissions.CREATE, Resources.DEPLOYMENT, "any")).isFalse();
		assertThat(allowed("managers", Permissions.ACCESS, Resources.APPLICATION, "cockpit")).isTrue();
		assertThat(allowed("managers", Permissions.READ_HISTORY, Resources.PROCESS_DEFINITION, "lead-nurture"))
			.isTrue();
		assertThat(allowed("managers", Permissions.CREATE, Resources.DEPLOYMENT, "any")).isFalse();
		assertThat(allowed("designers", Permissions.CREATE, Resources.DEPLOYMENT, "any")).isTrue();
		assertThat(allowed("designers", Permissions.ACCESS, Resources.APPLICATION, "tasklist")).isFalse();
		assertThat(allowed("integrations", Permissions.ACCESS, Resources.APPLICATION, "cockpit")).isFalse();
	}

	@Test
	void aRepSeesNewCallTasksThroughTheirTasklistFilter() {
		String email = "filter-" + UUID.randomUUID() + "@example.com";
		String leadId = this.api.postJson("/api/leads", "{\"email\":\"" + email + "\"}").json().get("id").asText();
		FirstSteps.score(this.runtime, this.management, leadId);
		String rep = user("reps");

		this.identity.setAuthentication(rep, List.of("reps"));
		Filter groupTasks = this.filters.createFilterQuery().filterName(IdentitySetup.FILTER_GROUP_TASKS).singleResult();
		List<Task> visible = this.filters.list(groupTasks.getId());

		assertThat(visible).extracting(Task::getName).contains("Call new lead");
		assertThat(visible).anyMatch((task) -> task.getProcessInstanceId() != null
				&& leadId.equals(processBusinessKey(task)));
	}

	@Test
	void aRepNeitherSeesNorWorksTheManagersEscalationOfAMissedCall() {
		UUID lead = UUID.fromString(this.api.postJson("/api/leads", "{\"email\":\"escalated-" + UUID.randomUUID()
				+ "@example.com\"}").json().get("id").asText());
		JourneyDriver journeys = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		journeys.settle(lead);
		Task call = journeys.task(lead, "Task_CallNewLead");
		ClockUtil.setCurrentTime(new Date(call.getDueDate().getTime() + 60_000));
		try {
			journeys.settle(lead);
		}
		finally {
			ClockUtil.reset();
		}
		String escalation = journeys.task(lead, "Task_EscalateMissedSla").getId();
		String rep = Api.basic(user("reps"), PASSWORD);
		String manager = Api.basic(manager(), PASSWORD);

		Response repsTasks = this.api.get("/engine-rest/task?processInstanceBusinessKey=" + lead, "Authorization", rep);
		assertThat(repsTasks.body()).contains(call.getId()).doesNotContain(escalation);
		assertThat(this.api.get("/engine-rest/task/" + escalation, "Authorization", rep).status()).isIn(403, 404);
		assertThat(this.api.get("/engine-rest/task/" + call.getId(), "Authorization", Api.basic(user("customer-success"),
				PASSWORD)).status()).isIn(403, 404);
		Response completed = this.api.send(this.api.request("/engine-rest/task/" + escalation + "/complete",
				"Authorization", rep)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"variables\":{\"escalationAction\":{\"value\":\"called_myself\"}}}")));
		assertThat(completed.status()).isIn(403, 404);
		assertThat(this.tasks.createTaskQuery().taskId(escalation).count()).isOne();
		assertThat(this.api.get("/engine-rest/task/" + escalation, "Authorization", manager).status()).isEqualTo(200);
	}

	private String processBusinessKey(Task task) {
		this.identity.clearAuthentication();
		return org.camunda.bpm.engine.ProcessEngines.getDefaultProcessEngine()
			.getRuntimeService()
			.createProcessInstanceQuery()
			.processInstanceId(task.getProcessInstanceId())
			.singleResult()
			.getBusinessKey();
	}

	private boolean allowed(String group, org.camunda.bpm.engine.authorization.Permission permission,
			org.camunda.bpm.engine.authorization.Resource resource, String resourceId) {
		return this.authorizations.isUserAuthorized("someone-in-" + group, List.of(group), permission, resource,
				resourceId);
	}

	private int login(String user, String app) {
		String password = user.equals("admin") ? "admin-secret" : PASSWORD;
		return new WebappSession(this.port).login(user, password, app);
	}

	private String manager() {
		return user("managers");
	}

	private String user(String group) {
		String id = group.replace("-", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = this.identity.newUser(id);
		user.setPassword(PASSWORD);
		this.identity.saveUser(user);
		this.identity.createMembership(id, group);
		return id;
	}

}
