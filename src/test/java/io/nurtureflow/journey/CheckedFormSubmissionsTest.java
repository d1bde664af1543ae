package io.nurtureflow.journey;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.nurtureflow.journey.WebappEngineApiTest.TASKS;
import static io.nurtureflow.journey.WebappEngineApiTest.camundasBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a rep's submission of a journey's form through Tasklist's API ({@code submit-form}) may
 * store: only what the form allows. A value the form does not offer, of the wrong type, or a
 * required field missing is {@code 400} saying which field and why, and leaves the task open with
 * nothing stored, where the engine stored it (or failed later at the gateway or timer, 500).
 */
@NurtureflowTest
class CheckedFormSubmissionsTest {

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	JourneyDriver driver;

	WebappSession rep;

	@BeforeEach
	void aRepInTasklist() {
		this.driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		this.rep = new WebappSession(this.port);
		assertThat(this.rep.login(new People(this.identity).member("reps"), People.PASSWORD, "tasklist")).isEqualTo(200);
	}

	@Test
	void aCallOutcomeTheFormDoesNotOfferIsABadRequestAndLeavesTheCallOpen() {
		UUID lead = newLead();

		HttpResponse<String> refused = submit(lead, "Task_CallNewLead", "{\"callOutcome\":{\"value\":\"maybe\"}}");

		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		assertThat(camundasBody(refused).path("message").asText()).contains("'Call outcome' must be one of "
				+ "connected_interested, meeting_booked, not_now, wrong_person, not_interested, no_answer, voicemail");
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).as("the call is still open").isTrue();
		assertThat(this.runtime.getVariable(journey(lead), LeadNurture.CALL_OUTCOME)).isNull();
	}

	@Test
	void notNowNeedsAFollowUpDateTheTimerCanRead() {
		UUID lead = newLead();

		HttpResponse<String> missing = submit(lead, "Task_CallNewLead", "{\"callOutcome\":{\"value\":\"not_now\"}}");
		HttpResponse<String> unreadable = submit(lead, "Task_CallNewLead",
				"{\"callOutcome\":{\"value\":\"not_now\"},\"followUpDate\":{\"value\":\"next week\"}}");

		assertThat(missing.statusCode()).as(missing.body()).isEqualTo(400);
		assertThat(camundasBody(missing).path("message").asText()).contains("'Follow-up date' is required");
		assertThat(unreadable.statusCode()).as(unreadable.body()).isEqualTo(400);
		assertThat(camundasBody(unreadable).path("message").asText())
			.contains("'Follow-up date' must be a date as yyyy-MM-dd");
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isTrue();
		assertThat(this.runtime.getVariable(journey(lead), LeadNurture.FOLLOW_UP_DATE)).isNull();
	}

	@Test
	void aCallOutcomeAsTasklistSendsItIsTakenWithoutTheFieldsItHides() {
		UUID lead = newLead();

		HttpResponse<String> taken = submit(lead, "Task_CallNewLead", "{\"callOutcome\":{\"value\":\"not_now\","
				+ "\"type\":\"String\"},\"followUpDate\":{\"value\":\"2031-03-10\",\"type\":\"String\"},"
				+ "\"callNotes\":{\"value\":\"\",\"type\":\"String\"}}");

		assertThat(taken.statusCode()).as(taken.body()).isEqualTo(204);
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isFalse();
		assertThat(this.runtime.getVariable(journey(lead), LeadNurture.FOLLOW_UP_DATE)).isEqualTo("2031-03-10");
	}

	@Test
	void aQualificationWithTextForTheCheckboxIsABadRequest() {
		UUID lead = newLead();
		this.driver.complete(lead, "Task_CallNewLead", Map.of(LeadNurture.CALL_OUTCOME, "meeting_booked"));

		HttpResponse<String> refused = submit(lead, "Task_Qualify",
				"{\"need\":{\"value\":\"\"},\"qualified\":{\"value\":\"yes\"},\"budget\":{\"value\":\"lots\"}}");

		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		assertThat(camundasBody(refused).path("message").asText()).contains("'Budget' must be one of yes, planned, none",
				"'Need' is required", "'Sales-qualified: hand over to an account executive' must be true or false");
		assertThat(this.driver.hasTask(lead, "Task_Qualify")).isTrue();
		assertThat(this.runtime.getVariable(journey(lead), LeadNurture.QUALIFIED)).isNull();
	}

	private HttpResponse<String> submit(UUID lead, String taskKey, String variables) {
		String task = this.driver.task(lead, taskKey).getId();
		return this.rep.send("POST", TASKS + task + "/submit-form", "{\"variables\":" + variables + "}");
	}

	private String journey(UUID lead) {
		return this.driver.journey(lead, LeadNurture.PROCESS_KEY);
	}

	private UUID newLead() {
		Api.Response created = new Api(this.port).postJson("/api/leads", "{\"email\":\"forms-" + UUID.randomUUID()
				+ "@example.com\",\"firstName\":\"Form\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		this.driver.settle(lead);
		return lead;
	}

}
