package io.nurtureflow.journey;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine's history keeps of an erased lead where Cockpit and Tasklist show it: what
 * managers typed on its call (a comment, an attachment) and what the operation log noted of
 * what people did to its journey. Typed through {@code /engine-rest}, as the webapps send it.
 */
@NurtureflowTest
class ErasedJourneyHistoryTest {

	private static final String ADMIN = Api.basic("admin", "admin-secret");

	@LocalServerPort
	int port;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	@Autowired
	IdentityService identity;

	@Autowired
	JdbcClient jdbc;

	Api api;

	JourneyDriver driver;

	@BeforeEach
	void startTheClock() {
		this.api = new Api(this.port);
		this.driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		JourneyDriver.startClockAt(Instant.parse("2031-03-03T09:00:00Z"));
	}

	@Test
	void erasingALeadLeavesNothingPeopleTypedAboutItInTasklistOrCockpit() {
		// given: a manager comments on the lead's call, corrects the comment and attaches a note;
		// an administrator annotates the journey's log and cancels the journey with a reason
		UUID lead = lead();
		String journey = this.driver.journey(lead, LeadNurture.PROCESS_KEY);
		String call = this.driver.task(lead, "Task_CallNewLead").getId();
		String manager = Api.basic(new People(this.identity).member("managers"), People.PASSWORD);
		String comment = send(manager, "POST", "/engine-rest/task/" + call + "/comment/create",
				"{\"message\":\"She is on sick leave until May\"}")
			.json()
			.get("id")
			.asText();
		send(manager, "PUT", "/engine-rest/task/" + call + "/comment",
				"{\"id\":\"" + comment + "\",\"message\":\"She is on sick leave until June\"}");
		attach(manager, call, "sick-note.txt", "Doctor's note: back in June");
		String content = this.jdbc.sql("select CONTENT_ID_ from ACT_HI_ATTACHMENT where TASK_ID_ = ?")
			.param(call)
			.query(String.class)
			.single();
		String operation = log(journey).get(0).getOperationId();
		send(ADMIN, "PUT", "/engine-rest/history/user-operation/" + operation + "/set-annotation",
				"{\"annotation\":\"Her husband asked us to\"}");
		cancelByBatch(journey, "Her husband called: she is ill");
		List<String> done = log(journey).stream().map(ErasedJourneyHistoryTest::what).toList();

		// when
		assertThat(this.api.send(this.api.request("/api/leads/" + lead).DELETE()).status()).isEqualTo(204);

		// then: the comment and attachment are gone, and the log tells who did what, without the words
		assertThat(this.tasks.getTaskComments(call)).isEmpty();
		assertThat(this.tasks.getTaskAttachments(call)).isEmpty();
		assertThat(this.jdbc.sql("select count(*) from ACT_GE_BYTEARRAY where ID_ = ?")
			.param(content)
			.query(Long.class)
			.single()).isZero();
		assertThat(log(journey).stream().map(ErasedJourneyHistoryTest::what).toList())
			.containsExactlyInAnyOrderElementsOf(done)
			.contains("UpdateComment comment", "AddAttachment name");
		assertThat(this.history.createUserOperationLogQuery().list().stream().flatMap(ErasedJourneyHistoryTest::typed))
			.noneSatisfy((value) -> assertThat(value).containsAnyOf("sick", "husband", "Doctor"));
	}

	/**
	 * The history the erasure leaves (steps and tasks, as ids and times) goes with the history
	 * cleanup, and so does who may read a call's history in Tasklist: the grant carries the removal
	 * time of the journey's history.
	 */
	@Test
	void theGrantOnAnErasedLeadsCallHistoryGoesWithThatHistory() {
		UUID lead = lead();
		String journey = this.driver.journey(lead, LeadNurture.PROCESS_KEY);
		String call = this.driver.task(lead, "Task_CallNewLead").getId();

		assertThat(this.api.send(this.api.request("/api/leads/" + lead).DELETE()).status()).isEqualTo(204);

		Instant removal = this.jdbc.sql("select REMOVAL_TIME_ from ACT_HI_PROCINST where ID_ = ?")
			.param(journey)
			.query(Instant.class)
			.single();
		assertThat(removal).isNotNull();
		assertThat(this.jdbc
			.sql("select REMOVAL_TIME_ from ACT_RU_AUTHORIZATION where RESOURCE_TYPE_ = ? and RESOURCE_ID_ = ?")
			.param(Resources.HISTORIC_TASK.resourceType())
			.param(call)
			.query(Instant.class)
			.list()).as("the grant on the call's history").containsExactly(removal);
	}

	private UUID lead() {
		var created = this.api.postJson("/api/leads", "{\"email\":\"erased-" + UUID.randomUUID()
				+ "@example.com\",\"firstName\":\"Ada\",\"consent\":{\"email\":true},\"industry\":\"software\","
				+ "\"companySize\":\"51-200\",\"title\":\"Head of Operations\",\"country\":\"DE\"}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		this.driver.settle(lead);
		return lead;
	}

	/** Cancels the journey as {@code POST /process-instance/delete} does, and runs the batch. */
	private void cancelByBatch(String journey, String reason) {
		String id = send(ADMIN, "POST", "/engine-rest/process-instance/delete",
				"{\"processInstanceIds\":[\"" + journey + "\"],\"deleteReason\":\"" + reason + "\"}")
			.json()
			.get("id")
			.asText();
		for (int round = 0; round < 10 && this.management.createBatchQuery().batchId(id).count() > 0; round++) {
			Batch batch = this.management.createBatchQuery().batchId(id).singleResult();
			Stream.of(batch.getSeedJobDefinitionId(), batch.getBatchJobDefinitionId(), batch.getMonitorJobDefinitionId())
				.flatMap((definition) -> this.management.createJobQuery().jobDefinitionId(definition).list().stream())
				.forEach((job) -> this.management.executeJob(job.getId()));
		}
		assertThat(this.driver.ended(journey)).isTrue();
	}

	private void attach(String user, String task, String name, String text) {
		String boundary = "attachment" + UUID.randomUUID();
		String body = field(boundary, "attachment-name", name) + field(boundary, "attachment-type", "text/plain")
				+ "--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + name
				+ "\"\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n--" + boundary + "--\r\n";
		var attached = this.api.send(this.api.request("/engine-rest/task/" + task + "/attachment/create", "Authorization", user)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(attached.status()).as(attached.body()).isEqualTo(200);
	}

	private static String field(String boundary, String name, String value) {
		return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
	}

	private Api.Response send(String user, String method, String path, String json) {
		var response = this.api.send(this.api.request(path, "Authorization", user)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(json)));
		assertThat(response.status()).as(response.body()).isBetween(200, 204);
		return response;
	}

	private List<UserOperationLogEntry> log(String journey) {
		return this.history.createUserOperationLogQuery().processInstanceId(journey).list();
	}

	private static String what(UserOperationLogEntry entry) {
		return entry.getOperationType() + " " + entry.getProperty();
	}

	private static Stream<String> typed(UserOperationLogEntry entry) {
		return Stream.of(entry.getOrgValue(), entry.getNewValue(), entry.getAnnotation()).filter((value) -> value != null);
	}

}
