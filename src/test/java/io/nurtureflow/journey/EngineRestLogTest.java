package io.nurtureflow.journey;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.nurtureflow.journey.WebappEngineApiTest.TASKS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the operators' log shows of the engine's REST API's errors: nothing at {@code ERROR}, and
 * no stack trace, for a client error it answers 4xx (on {@code /camunda/api/engine} as on
 * {@code /engine-rest}); the engine's {@code ERROR} with its stack trace for a true 500. The
 * engine's command logger is at {@code INFO} here, as in production (the tests' profile quiets it),
 * so an {@code INFO} entry with a stack trace would show too.
 */
@NurtureflowTest
@ExtendWith(OutputCaptureExtension.class)
class EngineRestLogTest {

	private static final String PROCESS = "engine-rest-log";

	private static final String BROKEN = "engine-rest-log-broken";

	private static final String ADMIN = Api.basic("admin", "admin-secret");

	private final Logger engineCommands = (Logger) LoggerFactory.getLogger(HandledCollisions.ENGINE_COMMANDS);

	private Level configured;

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

	@BeforeEach
	void theEnginesCommandsLoggedAsInProduction() {
		this.configured = this.engineCommands.getLevel();
		this.engineCommands.setLevel(Level.INFO);
		WebappEngineApiTest.deploy(this.repository, PROCESS, null);
		WebappEngineApiTest.deploy(this.repository, BROKEN, "${noSuchBean.call()}");
	}

	@AfterEach
	void restore() {
		this.engineCommands.setLevel(this.configured);
		WebappEngineApiTest.undeploy(this.repository, PROCESS);
		WebappEngineApiTest.undeploy(this.repository, BROKEN);
	}

	@Test
	void clientErrorsLeaveNoErrorAndNoStackTraceInTheLog(CapturedOutput output) {
		People people = new People(this.identity);
		String repA = people.member("reps");
		String repB = people.member("reps");
		WebappSession tasklistA = signedIn(repA);
		WebappSession tasklistB = signedIn(repB);
		String claimed = newTask(PROCESS);
		String completed = newTask(PROCESS);
		String noted = newTask(PROCESS);
		assertThat(tasklistA.send("POST", TASKS + claimed + "/claim", claim(repA)).statusCode()).isEqualTo(204);
		assertThat(tasklistA.send("POST", TASKS + completed + "/submit-form", "{}").statusCode()).isEqualTo(204);
		int before = output.getOut().length();

		assertThat(tasklistB.send("POST", TASKS + claimed + "/claim", claim(repB)).statusCode()).isEqualTo(409);
		assertThat(tasklistB.send("POST", TASKS + completed + "/submit-form", "{}").statusCode()).isEqualTo(404);
		String note = "{\"variables\":{\"note\":{\"value\":\"" + "s".repeat(4001) + "\",\"type\":\"String\"}}}";
		assertThat(tasklistB.send("POST", TASKS + noted + "/submit-form", note).statusCode()).isEqualTo(400);
		Api api = new Api(this.port);
		assertThat(api.send(api.request("/engine-rest/task/" + claimed + "/claim", "Authorization", ADMIN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(claim(repB)))).status()).isEqualTo(409);

		String logged = output.getOut().substring(before);
		assertThat(logged).doesNotContain(" ERROR ", "ENGINE-16003", "ENGINE-16004", "\tat org.camunda");
	}

	/** A journey whose listener names a bean that does not exist: the server's fault, not the rep's. */
	@Test
	void aServerErrorIsStillLoggedAtErrorWithItsStackTrace(CapturedOutput output) {
		String repA = new People(this.identity).member("reps");
		String task = newTask(BROKEN);
		int before = output.getOut().length();

		HttpResponse<String> submitted = signedIn(repA).send("POST", TASKS + task + "/submit-form", "{}");

		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(500);
		String logged = output.getOut().substring(before);
		assertThat(logged).contains(" ERROR ", "ENGINE-16004", "noSuchBean", "\tat org.camunda");
	}

	private WebappSession signedIn(String rep) {
		WebappSession session = new WebappSession(this.port);
		assertThat(session.login(rep, People.PASSWORD, "tasklist")).isEqualTo(200);
		return session;
	}

	private String newTask(String process) {
		String instance = this.runtime.startProcessInstanceByKey(process).getId();
		return this.tasks.createTaskQuery().processInstanceId(instance).singleResult().getId();
	}

	private static String claim(String user) {
		return "{\"userId\":\"" + user + "\"}";
	}

}
