package io.nurtureflow.lead;

import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.engagement.Engagement;
import io.nurtureflow.engagement.EngagementRecorder;
import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.lead.LeadConsent.ConsentChannel;
import io.nurtureflow.tracking.TrackingLinks;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/** Pushing leads in through the JSON API; run on H2 and on PostgreSQL by the subclasses. */
abstract class LeadIntakeScenarios {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	@Autowired
	FormService forms;

	@Autowired
	ManagementService management;

	@Autowired
	RepositoryService repository;

	@Autowired
	HistoryService history;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	IdempotencyExpiry expiry;

	@Autowired
	Clock clock;

	@Autowired
	LeadConsent consent;

	@Autowired
	EngagementRecorder engagement;

	@Autowired
	TrackingLinks links;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@Test
	void newLeadIsStoredNormalisedAndEntersItsJourney() {
		String email = uniqueEmail();
		Response created = post(ada(" " + email.toUpperCase() + " "));

		assertThat(created.status()).isEqualTo(201);
		JsonNode lead = created.json();
		assertThat(created.header("Location")).endsWith("/api/leads/" + lead.get("id").asText());
		assertThat(lead.get("email").asText()).isEqualTo(email);
		assertThat(lead.get("phone").asText()).isEqualTo("+4930901820");
		assertThat(lead.get("timeZone").asText()).isEqualTo("Europe/Berlin");
		assertThat(lead.get("companySize").asText()).isEqualTo("51-200");
		assertThat(lead.get("interests")).extracting(JsonNode::asText).containsExactly("analytics", "automation");
		assertThat(lead.get("consent").get("email").asBoolean()).isTrue();
		assertThat(lead.get("consent").get("sms").asBoolean()).isFalse();
		assertThat(lead.get("stage").asText()).isEqualTo("NEW");
		JsonNode journey = lead.get("activeJourneys").get(0);
		assertThat(journey.get("journey").asText()).isEqualTo("lead-nurture");
		// intake only queues the journey's first steps: the acknowledgement, and scoring before the call
		assertThat(journey.get("waitingAt")).extracting(JsonNode::asText)
			.containsExactlyInAnyOrder(LeadNurture.TASK_SEND_ACKNOWLEDGEMENT, LeadNurture.TASK_SCORE_LEAD);
		assertThat(journey.get("startedAt").asText()).isNotBlank();

		var instance = this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(lead.get("id").asText())
			.singleResult();
		assertThat(instance.getId()).isEqualTo(journey.get("instanceId").asText());
		assertThat(this.runtime.getVariable(instance.getId(), LeadNurture.LEAD_ID)).isEqualTo(lead.get("id").asText());

		Response read = this.api.get(created.header("Location").replaceFirst("http://[^/]+", ""));
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().get("id")).isEqualTo(lead.get("id"));
	}

	@Test
	void callTaskGoesToRepsWithTheCallOutcomeFormAndTheLeadsDetails() throws Exception {
		String id = post(ada(uniqueEmail())).json().get("id").asText();
		runJobs(instanceOf(id));

		Task task = this.tasks.createTaskQuery().processInstanceBusinessKey(id).initializeFormKeys().singleResult();
		assertThat(task.getTaskDefinitionKey()).isEqualTo(LeadNurture.TASK_CALL_NEW_LEAD);
		assertThat(task.getName()).isEqualTo("Call new lead");
		assertThat(task.getCamundaFormRef().getKey()).isEqualTo("call-outcome");
		assertThat(this.tasks.getIdentityLinksForTask(task.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("reps");
		try (InputStream form = this.forms.getDeployedTaskForm(task.getId())) {
			JsonNode schema = JSON.readTree(form);
			assertThat(schema.get("id").asText()).isEqualTo("call-outcome");
			assertThat(schema.findValuesAsText("key")).contains(LeadNurture.CALL_OUTCOME);
		}
		Map<String, Object> shown = this.tasks.getVariablesLocal(task.getId());
		assertThat(shown).containsEntry("leadName", "Ada Lovelace")
			.containsEntry("leadCompany", "Analytical Engines")
			.containsEntry("leadPhone", "+4930901820")
			.containsEntry("leadTimeZone", "Europe/Berlin")
			.containsKey("leadLocalTime");
	}

	@Test
	void theCallSheetAndTheTouchCountersStayOutOfTheEngineHistory() {
		String id = post(ada(uniqueEmail())).json().get("id").asText();
		String instance = instanceOf(id);
		runJobs(instance);

		Task task = this.tasks.createTaskQuery().processInstanceBusinessKey(id).singleResult();
		assertThat(this.tasks.getVariablesLocal(task.getId())).containsEntry("leadPhone", "+4930901820");
		assertThat(this.runtime.getVariables(instance)).containsKey("touchSequence_Task_SendAcknowledgement");
		var kept = this.history.createHistoricVariableInstanceQuery()
			.processInstanceId(instance)
			.list()
			.stream()
			.map(HistoricVariableInstance::getName)
			.toList();
		// a lead's details live in the lead store and go with it when it is erased
		assertThat(kept).contains(LeadNurture.LEAD_ID, LeadNurture.CALL_ATTEMPTS, LeadNurture.FIT_GRADE)
			.doesNotContain("leadPhone", "leadEmail", "leadName", "touchSequence_Task_SendAcknowledgement");
		assertThat(this.history.createHistoricDetailQuery().processInstanceId(instance).list())
			.extracting((detail) -> ((HistoricVariableUpdate) detail).getVariableName())
			.contains(LeadNurture.LEAD_ID)
			.doesNotContain("leadPhone", "touchSequence_Task_SendAcknowledgement");
	}

	@Test
	void acknowledgementIsRecordedWhenNoMailServerIsConfigured() {
		String id = post(ada(uniqueEmail())).json().get("id").asText();
		String instance = instanceOf(id);

		runJobs(instance);

		var touch = this.jdbc.sql("select status, content from touch where lead_id = ? and channel = 'EMAIL'")
			.param(UUID.fromString(id))
			.query()
			.singleRow();
		assertThat(touch).containsEntry("STATUS", "RECORDED").containsEntry("CONTENT", "acknowledgement");
		assertThat(this.jdbc.sql("select reason from touch where lead_id = ? and channel = 'SMS'")
			.param(UUID.fromString(id))
			.query(String.class)
			.single()).isEqualTo("no SMS consent");
		var message = this.jdbc.sql("""
				select m.recipient, m.subject, m.body from recorded_message m join touch t on t.id = m.touch_id
				where t.lead_id = ?""").param(UUID.fromString(id)).query().singleRow();
		assertThat(message.get("SUBJECT")).isEqualTo("Thanks, Ada — we got your request");
		assertThat((String) message.get("BODY")).contains("Hi Ada,").contains("on behalf of Analytical Engines");
		assertThat(this.runtime.getActiveActivityIds(instance)).containsExactly(LeadNurture.TASK_CALL_NEW_LEAD);
	}

	@Test
	void missingFieldsNeverRenderAsNull() {
		String id = post("{\"email\":\"" + uniqueEmail() + "\",\"consent\":{\"email\":true}}").json()
			.get("id")
			.asText();
		runJobs(instanceOf(id));

		var message = this.jdbc.sql("""
				select m.subject, m.body from recorded_message m join touch t on t.id = m.touch_id
				where t.lead_id = ?""").param(UUID.fromString(id)).query().singleRow();
		assertThat(message.get("SUBJECT")).isEqualTo("Thanks — we got your request");
		assertThat((String) message.get("BODY")).startsWith("Hi,").doesNotContain("null");
	}

	@Test
	void aLeadThatIsNotInterestedEndsItsJourney() {
		String id = post(ada(uniqueEmail())).json().get("id").asText();
		String instance = instanceOf(id);
		runJobs(instance);
		Task task = this.tasks.createTaskQuery().processInstanceId(instance).singleResult();

		this.tasks.complete(task.getId(), Map.of(LeadNurture.CALL_OUTCOME, "not_interested"));

		assertThat(this.runtime.createProcessInstanceQuery().processInstanceId(instance).count()).isZero();
		assertThat(this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(instance)
			.activityId("EndEvent_NotInterested")
			.count()).isOne();
	}

	@Test
	void everyInvalidFieldIsNamedInOneProblem() {
		Response refused = post("""
				{"email":"not-an-email","phone":"12","country":"XX","timeZone":"Mars/Olympus_Mons",
				 "companySize":"huge","firstName":"%s","lastName":"Love\\u0007lace","interests":["ok",""]}
				""".formatted("A".repeat(101)));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		JsonNode problem = refused.json();
		assertThat(problem.get("title").asText()).isEqualTo("Invalid lead");
		assertThat(problem.get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("email", "phone",
				"country", "timeZone", "companySize", "firstName", "lastName", "interests[1]");
		assertThat(leadsWithEmail("not-an-email")).isZero();
	}

	@Test
	void textThatLowerCaseLengthensPastItsColumnIsRefusedByField() {
		String email = uniqueEmail();

		// 60 characters as sent, 120 in lower case: İ becomes i and a combining dot
		Response refused = post("{\"email\":\"" + email + "\",\"interests\":[\"" + "İ".repeat(60) + "\"]}");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("errors").findValuesAsText("field")).containsExactly("interests");
		assertThat(leadsWithEmail(email)).isZero();
	}

	@Test
	void missingEmailIsRefused() {
		Response refused = post("{\"firstName\":\"Ada\"}");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("errors").findValuesAsText("field")).containsExactly("email");
	}

	@Test
	void phoneWithoutCountryNeedsAnInternationalPrefix() {
		Response refused = post("{\"email\":\"" + uniqueEmail() + "\",\"phone\":\"030 901820\"}");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("errors").get(0).get("message").asText()).contains("international prefix");
		assertThat(post("{\"email\":\"" + uniqueEmail() + "\",\"phone\":\"+1 415 555 2671\"}").json()
			.get("phone")
			.asText()).isEqualTo("+14155552671");
	}

	@Test
	void unknownFieldsAreRefused() {
		Response refused = post("{\"email\":\"" + uniqueEmail() + "\",\"favouriteColour\":\"teal\"}");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("favouriteColour");
	}

	@Test
	void wrongTypesAreRefusedByField() {
		Response consent = post("{\"email\":\"" + uniqueEmail() + "\",\"consent\":{\"email\":\"maybe\"}}");
		Response interests = post("{\"email\":\"" + uniqueEmail() + "\",\"interests\":{\"a\":1}}");

		assertThat(consent.status()).isEqualTo(400);
		assertThat(consent.json().get("errors").get(0).get("field").asText()).isEqualTo("consent.email");
		assertThat(interests.status()).isEqualTo(400);
		assertThat(interests.json().get("errors").get(0).get("field").asText()).isEqualTo("interests");
	}

	@Test
	void malformedOrForeignBodiesAreClientErrors() {
		assertThat(post("{\"email\": ").status()).isEqualTo(400);
		assertThat(post("").status()).isEqualTo(400);
		assertThat(post("[1,2,3]").status()).isEqualTo(400);
		Response xml = this.api.send(this.api.request("/api/leads")
			.header("Content-Type", "application/xml")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("<lead/>")));
		assertThat(xml.status()).isEqualTo(415);
		assertThat(xml.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void sameEmailIsTheSameLeadAndCountsAsAReconversion() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();

		Response again = post(ada("  " + email.toUpperCase()));

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("id").asText()).isEqualTo(id);
		assertThat(again.header("Location")).endsWith("/api/leads/" + id);
		assertThat(leadsWithEmail(email)).isOne();
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'RECONVERSION'")
			.param(UUID.fromString(id))
			.query(Long.class)
			.single()).isOne();
		assertThat(this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count()).isOne();
	}

	// a known email submitted again

	@Test
	void aReturningLeadGivingConsentNowHasItWithItsSource() {
		String email = uniqueEmail();
		String id = post("{\"email\":\"" + email + "\",\"phone\":\"+1 415 555 2761\"}").json().get("id").asText();

		Response again = post("{\"email\":\"" + email + "\",\"consent\":{\"email\":true,\"sms\":true}}");

		assertThat(again.status()).isEqualTo(200);
		assertThat(consentOf(again.json())).containsExactly(true, true);
		assertThat(consentOf(this.api.get("/api/leads/" + id).json())).containsExactly(true, true);
		assertThat(consentHistory(id)).containsExactly("EMAIL false intake", "SMS false intake",
				"EMAIL true submitted again: api", "SMS true submitted again: api");
		assertThat(resubscriptionsAsked(id)).as("nothing was withdrawn, so nothing to confirm").isZero();
	}

	@Test
	void aReturningLeadLeavingTheTickOutKeepsTheConsentItGave() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();

		Response again = post("{\"email\":\"" + email + "\",\"consent\":{\"email\":false}}");

		assertThat(consentOf(again.json())).containsExactly(true, false);
		assertThat(consentHistory(id)).containsExactly("EMAIL true intake", "SMS false intake");
	}

	/** A form may be typed by anyone who knows the email; an unsubscribe or a STOP came from the lead. */
	@Test
	void aReturningLeadThatUnsubscribedOrSentStopStaysOptedOut() {
		String email = uniqueEmail();
		String id = post("{\"email\":\"" + email + "\",\"phone\":\"+1 415 555 2761\","
				+ "\"consent\":{\"email\":true,\"sms\":true}}").json().get("id").asText();
		this.consent.set(UUID.fromString(id), ConsentChannel.EMAIL, false, "unsubscribe link");
		this.consent.set(UUID.fromString(id), ConsentChannel.SMS, false, "SMS STOP");

		Response again = post("{\"email\":\"" + email + "\",\"consent\":{\"email\":true,\"sms\":true}}");

		assertThat(consentOf(again.json())).containsExactly(false, false);
		assertThat(consentOf(this.api.get("/api/leads/" + id).json())).containsExactly(false, false);
		assertThat(consentHistory(id)).noneMatch((change) -> change.contains("submitted again"));
	}

	/**
	 * Email's way back: the lead is asked at its own address, which a form's typist may not own,
	 * and the link in that email gives the consent back. Without an SMTP server the email is kept.
	 */
	@Test
	void aReturningLeadThatUnsubscribedFromEmailIsAskedAtItsAddressAndTheLinkGivesItBack() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();
		runJobs(instanceOf(id));
		unsubscribe(id);

		Response again = post(ada(email));

		assertThat(consentOf(again.json())).containsExactly(false, false);
		var asked = this.jdbc.sql("select status, subject, body from email_resubscription where lead_id = ?")
			.param(UUID.fromString(id))
			.query()
			.singleRow();
		assertThat(asked).containsEntry("STATUS", "RECORDED").containsEntry("SUBJECT", "Do you want our emails again, Ada?");
		Matcher link = Pattern.compile("/t/r/[A-Za-z0-9_\\-.]+").matcher((String) asked.get("BODY"));
		assertThat(link.find()).as("the link in %s", asked.get("BODY")).isTrue();
		assertThat(this.api.send(this.api.request(link.group(), "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(""))).status()).isEqualTo(200);
		assertThat(consentOf(this.api.get("/api/leads/" + id).json())).containsExactly(true, false);
		assertThat(consentHistory(id)).endsWith("EMAIL false unsubscribe link", "EMAIL true confirmed by email link");
	}

	/** A form cannot be used to fill someone's mailbox: a double click, a retrying integration, a bot. */
	@Test
	void aReturningLeadThatUnsubscribedIsAskedOnceHoweverOftenItIsPosted() throws Exception {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();
		runJobs(instanceOf(id));
		unsubscribe(id);

		assertThat(AtOnce.call(8, (i) -> post(ada(email)).status())).containsOnly(200);
		post(ada(email));

		assertThat(resubscriptionsAsked(id)).isOne();
	}

	/** An import is the operator's list, often an old one: it must not email everyone on it who unsubscribed. */
	@Test
	void anImportedRowTickingEmailForALeadThatUnsubscribedAsksNothing() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();
		runJobs(instanceOf(id));
		unsubscribe(id);

		Response imported = this.api.postCsv("/api/leads/import", """
				email,firstName,campaign,consentEmail
				%s,Ada,old-list,true
				""".formatted(email));

		assertThat(imported.status()).isEqualTo(200);
		assertThat(imported.json().get("rows").get(0).get("status").asText()).as("a row bringing a campaign is taken in")
			.isEqualTo("DUPLICATE");
		assertThat(resubscriptionsAsked(id)).isZero();
		assertThat(consentOf(this.api.get("/api/leads/" + id).json())).containsExactly(false, false);
	}

	@Test
	void aReturningLeadThatUnsubscribedAndIsOnTheDoNotContactListIsNotAsked() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();
		runJobs(instanceOf(id));
		unsubscribe(id);
		suppress(email);

		post(ada(email));

		assertThat(resubscriptionsAsked(id)).isZero();
	}

	/** A STOP from a lead without SMS consent changes no consent, but it is kept as the lead's opt-out. */
	@Test
	void anOptOutSentBeforeAnyConsentStillKeepsTheReturningLeadOut() {
		String email = uniqueEmail();
		UUID id = UUID.fromString(post("{\"email\":\"" + email + "\",\"phone\":\"+1 415 555 2761\"}").json()
			.get("id")
			.asText());
		this.consent.set(id, ConsentChannel.SMS, false, "SMS STOP");
		this.engagement.record(new Engagement(id, null, EngagementType.SMS_OPTED_OUT, "SMS", "STOP", this.clock.instant(),
				null));

		Response again = post("{\"email\":\"" + email + "\",\"consent\":{\"email\":true,\"sms\":true}}");

		assertThat(consentOf(again.json())).containsExactly(true, false);
	}

	@Test
	void aReturningLeadOnTheDoNotContactListIsNotOptedIn() {
		String listedEmail = uniqueEmail();
		String listedPhone = uniqueEmail();
		post("{\"email\":\"" + listedEmail + "\"}");
		post("{\"email\":\"" + listedPhone + "\",\"phone\":\"+1 415 555 2767\"}");
		suppress(listedEmail.toUpperCase());
		suppress("+14155552767");

		Response email = post("{\"email\":\"" + listedEmail + "\",\"consent\":{\"email\":true,\"sms\":true}}");
		Response phone = post("{\"email\":\"" + listedPhone + "\",\"consent\":{\"email\":true,\"sms\":true}}");

		assertThat(consentOf(email.json())).containsExactly(false, false);
		assertThat(consentOf(phone.json())).containsExactly(false, false);
	}

	@Test
	void aReturningLeadsBlankDetailsAreFilledAndItsKnownOnesKept() {
		String email = uniqueEmail();
		String id = post("{\"email\":\"" + email + "\",\"firstName\":\"Augusta\",\"company\":\"Babbage & Co\"}")
			.json()
			.get("id")
			.asText();

		Response again = post(ada(email));

		JsonNode lead = again.json();
		assertThat(lead.get("firstName").asText()).isEqualTo("Augusta");
		assertThat(lead.get("company").asText()).isEqualTo("Babbage & Co");
		assertThat(lead.get("lastName").asText()).isEqualTo("Lovelace");
		assertThat(lead.get("phone").asText()).isEqualTo("+4930901820");
		assertThat(lead.get("title").asText()).isEqualTo("Head of Operations");
		assertThat(lead.get("industry").asText()).isEqualTo("software");
		assertThat(lead.get("companySize").asText()).isEqualTo("51-200");
		assertThat(lead.get("country").asText()).isEqualTo("DE");
		assertThat(lead.get("source").asText()).isEqualTo("webinar");
		assertThat(lead.get("campaign").asText()).isEqualTo("q4-ops");
		assertThat(lead.get("interests")).extracting(JsonNode::asText).containsExactly("analytics", "automation");
		JsonNode stored = this.api.get("/api/leads/" + id).json();
		for (String field : List.of("firstName", "lastName", "phone", "company", "title", "industry", "companySize",
				"country", "source", "campaign", "interests", "consent", "updatedAt")) {
			assertThat(lead.get(field)).as(field).isEqualTo(stored.get(field));
		}
	}

	/** The SMS consent ticked beside another number is not for the number that is kept. */
	@Test
	void aReturningLeadKeepsItsKnownPhoneAndSmsConsentGivenForAnotherNumberIsNotTaken() {
		String email = uniqueEmail();
		post("{\"email\":\"" + email + "\",\"phone\":\"+1 415 555 2761\"}");

		Response other = post("{\"email\":\"" + email + "\",\"phone\":\"+1 415 555 2762\","
				+ "\"consent\":{\"email\":true,\"sms\":true}}");

		assertThat(other.json().get("phone").asText()).isEqualTo("+14155552761");
		assertThat(consentOf(other.json())).containsExactly(true, false);
		Response same = post("{\"email\":\"" + email + "\",\"phone\":\"+1 415 555 2761\","
				+ "\"consent\":{\"sms\":true}}");
		assertThat(consentOf(same.json())).containsExactly(true, true);
	}

	@Test
	void aReturningLeadWithoutAPhoneGetsTheOneItGivesNowAndItsSmsConsent() {
		String email = uniqueEmail();
		post("{\"email\":\"" + email + "\",\"firstName\":\"Ada\"}");

		Response again = post("{\"email\":\"" + email + "\",\"phone\":\"+1 415 555 2763\",\"consent\":{\"sms\":true}}");

		assertThat(again.json().get("phone").asText()).isEqualTo("+14155552763");
		assertThat(consentOf(again.json())).containsExactly(false, true);
	}

	/** The fit table reads industry, size, title and country: the rescoring sees what was filled in. */
	@Test
	void aReturningLeadIsRescoredWithTheDetailsItFilledIn() {
		String email = uniqueEmail();
		String id = post("{\"email\":\"" + email + "\"}").json().get("id").asText();

		post(ada(email));

		assertThat(this.jdbc.sql("select fit_score, fit_grade from lead where id = ?")
			.param(UUID.fromString(id))
			.query((rs, n) -> rs.getInt(1) + " " + rs.getString(2))
			.single()).isEqualTo("95 A");
	}

	@Test
	void aRetriedResubmissionGetsItsFirstAnswerAndChangesNothing() {
		String email = uniqueEmail();
		String id = post("{\"email\":\"" + email + "\"}").json().get("id").asText();
		String key = UUID.randomUUID().toString();
		Response first = post(ada(email), "Idempotency-Key", key);
		post("{\"email\":\"" + email + "\",\"firstName\":\"Someone\"}");

		Response retry = post(ada(email), "Idempotency-Key", key);

		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().get("firstName").asText()).isEqualTo("Ada");
		assertThat(retry.status()).isEqualTo(200);
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'RECONVERSION'")
			.param(UUID.fromString(id))
			.query(Long.class)
			.single()).isEqualTo(2);
		assertThat(consentHistory(id)).containsExactly("EMAIL false intake", "SMS false intake",
				"EMAIL true submitted again: api");
	}

	@Test
	void aReturningLeadWhoseJourneyEndedStartsANewOne() {
		String email = uniqueEmail();
		String id = leadWithEndedJourney(email);
		String first = this.history.createHistoricProcessInstanceQuery()
			.processInstanceBusinessKey(id)
			.singleResult()
			.getId();

		post(ada(email));

		String second = instanceOf(id);
		assertThat(second).isNotEqualTo(first);
	}

	/**
	 * Someone who unsubscribed from every channel and fills in a form again asks to be contacted:
	 * the new journey puts a call in front of a rep, so the lead is new again. The channels it
	 * withdrew stay withdrawn: its journey's messages are skipped.
	 */
	@Test
	void aLeadUnsubscribedFromEveryChannelThatSubmitsAgainIsANewLeadWithACallAndNoMessages() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();
		runJobs(instanceOf(id));
		unsubscribe(id);
		assertThat(this.api.get("/api/leads/" + id).json().get("stage").asText()).isEqualTo("UNSUBSCRIBED");

		Response again = post(ada(email));

		assertThat(again.json().get("stage").asText()).isEqualTo("NEW");
		assertThat(this.api.get("/api/leads/" + id).json().get("stage").asText()).isEqualTo("NEW");
		assertThat(consentOf(again.json())).containsExactly(false, false);
		String journey = instanceOf(id);
		runJobs(journey);
		assertThat(this.tasks.createTaskQuery().processInstanceId(journey).singleResult().getTaskDefinitionKey())
			.isEqualTo(LeadNurture.TASK_CALL_NEW_LEAD);
		assertThat(this.jdbc.sql("select channel || ' ' || status || ' ' || reason from touch where process_instance_id = ?")
			.param(journey)
			.query(String.class)
			.list()).containsExactlyInAnyOrder("EMAIL SKIPPED no email consent", "SMS SKIPPED no SMS consent");
	}

	/**
	 * A lead sales gave up on that fills in a form again asks to be contacted: it is a lead again,
	 * with a new journey and its call for a rep. The disqualification stays with the journey it
	 * ended, reason and all.
	 */
	@Test
	void aDisqualifiedLeadThatSubmitsAgainIsANewLeadWithANewJourneyAndItsDisqualificationOnRecord() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();
		String disqualified = instanceOf(id);
		runJobs(disqualified);
		disqualify(id, "competitor");
		assertThat(this.api.get("/api/leads/" + id).json().get("stage").asText()).isEqualTo("DISQUALIFIED");

		Response again = post(ada(email));

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("stage").asText()).isEqualTo("NEW");
		JsonNode lead = this.api.get("/api/leads/" + id).json();
		assertThat(lead.get("stage").asText()).isEqualTo("NEW");
		String journey = instanceOf(id);
		assertThat(journey).isNotEqualTo(disqualified);
		assertThat(lead.get("activeJourneys").findValuesAsText("instanceId")).containsExactly(journey);
		runJobs(journey);
		assertThat(this.tasks.createTaskQuery().processInstanceId(journey).singleResult().getTaskDefinitionKey())
			.isEqualTo(LeadNurture.TASK_CALL_NEW_LEAD);
		assertThat(endedAt(disqualified, "EndEvent_ExitDisqualified")).isTrue();
		assertThat(exitReason(disqualified)).isEqualTo("competitor");
		assertThat(engagementOf(id)).containsExactly("RECONVERSION");
	}

	/**
	 * A customer who left and fills in a form again is a win-back: a lead again, with a new lead
	 * journey and its call for a rep. When it churned stays on the lead, and its conversion and
	 * the customer journey it left stay on record.
	 */
	@Test
	void aChurnedCustomerThatSubmitsAgainIsANewLeadWithANewJourneyAndKeepsWhenItChurned() {
		String email = uniqueEmail();
		UUID id = UUID.fromString(post(ada(email)).json().get("id").asText());
		JourneyDriver driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		driver.settle(id);
		convert(id);
		driver.settle(id);
		String customer = driver.journey(id, LeadNurture.CUSTOMER_PROCESS_KEY);
		churn(id, "moved to a competitor");
		JsonNode churned = this.api.get("/api/leads/" + id).json();
		assertThat(churned.get("stage").asText()).isEqualTo("CHURNED");
		assertThat(churned.get("churnedAt").isNull()).isFalse();

		Response again = post(ada(email));

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("stage").asText()).isEqualTo("NEW");
		assertThat(again.json().get("churnedAt")).isEqualTo(churned.get("churnedAt"));
		JsonNode lead = this.api.get("/api/leads/" + id).json();
		assertThat(lead.get("stage").asText()).isEqualTo("NEW");
		assertThat(lead.get("churnedAt")).isEqualTo(churned.get("churnedAt"));
		assertThat(lead.get("activeJourneys").findValuesAsText("journey")).containsExactly(LeadNurture.PROCESS_KEY);
		String journey = instanceOf(id.toString());
		runJobs(journey);
		assertThat(this.tasks.createTaskQuery().processInstanceId(journey).singleResult().getTaskDefinitionKey())
			.isEqualTo(LeadNurture.TASK_CALL_NEW_LEAD);
		assertThat(endedAt(customer, "EndEvent_ExitChurned")).isTrue();
		assertThat(exitReason(customer)).isEqualTo("moved to a competitor");
		assertThat(engagementOf(id.toString())).containsExactly("CONVERTED", "RECONVERSION");
		assertThat(this.jdbc.sql("select converted_at from lead where id = ?").param(id).query(Timestamp.class).single())
			.as("who converts still counts it").isNotNull();
	}

	/** A form submitted several times at once (a double click, a retrying integration). */
	@Test
	void aReturningLeadPostedSeveralTimesAtOnceGetsOneNewJourney() throws Exception {
		String email = uniqueEmail();
		String id = leadWithEndedJourney(email);
		int posts = 8;

		assertThat(AtOnce.call(posts, (i) -> post(ada(email)).status())).hasSize(posts).containsOnly(200);

		assertThat(this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count()).isOne();
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'RECONVERSION'")
			.param(UUID.fromString(id))
			.query(Long.class)
			.single()).isEqualTo(posts);
	}

	@Test
	void aRetriedPostWithTheSameIdempotencyKeyGetsTheFirstAnswerAndChangesNothing() {
		String key = UUID.randomUUID().toString();
		String email = uniqueEmail();
		Response first = post(ada(email), "Idempotency-Key", key);
		Response retry = post(ada(email), "Idempotency-Key", key);

		assertThat(first.status()).isEqualTo(201);
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
		String id = first.json().get("id").asText();
		assertThat(leadsWithEmail(email)).isOne();
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ?")
			.param(UUID.fromString(id))
			.query(Long.class)
			.single()).isZero();
		assertThat(this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count()).isOne();
	}

	@Test
	void anIdempotencyKeyReusedForAnotherLeadIsRefused() {
		String key = UUID.randomUUID().toString();
		post(ada(uniqueEmail()), "Idempotency-Key", key);
		String other = uniqueEmail();

		Response reused = post(ada(other), "Idempotency-Key", key);

		assertThat(reused.status()).isEqualTo(422);
		assertThat(leadsWithEmail(other)).isZero();
		assertThat(post(ada(other), "Idempotency-Key", "bad key with spaces").status()).isEqualTo(400);
	}

	/** A stored answer holds the lead as it was sent: its email, name and phone go with the lead. */
	@Test
	void erasingALeadRemovesTheAnswersStoredForItsIdempotencyKeys() {
		String email = uniqueEmail();
		String id = post(ada(email), "Idempotency-Key", UUID.randomUUID().toString()).json().get("id").asText();
		post(ada(email), "Idempotency-Key", UUID.randomUUID().toString());
		String other = uniqueEmail();
		post(ada(other), "Idempotency-Key", UUID.randomUUID().toString());
		assertThat(storedAnswersMentioning(email)).isEqualTo(2);

		assertThat(this.api.send(this.api.request("/api/leads/" + id).DELETE()).status()).isEqualTo(204);

		assertThat(storedAnswersMentioning(email)).isZero();
		assertThat(storedAnswersMentioning(other)).isOne();
	}

	/** Answers stored before they named their lead (db/migration/V19 and V20) go with it too. */
	@Test
	void answersStoredBeforeTheyNamedTheirLeadAreErasedWithIt() {
		String email = uniqueEmail();
		String id = post(ada(email), "Idempotency-Key", UUID.randomUUID().toString()).json().get("id").asText();
		String other = post(ada(uniqueEmail()), "Idempotency-Key", UUID.randomUUID().toString()).json().get("id").asText();
		// as stored before V19: no lead, and a Location with scheme and host, or with a context path
		this.jdbc.sql("update idempotency_request set lead_id = null, location = ? where lead_id = ?")
			.params("http://localhost:8080/api/leads/" + id, UUID.fromString(id))
			.update();
		this.jdbc.sql("update idempotency_request set lead_id = null, location = ? where lead_id = ?")
			.params("/nurture/api/leads/" + other, UUID.fromString(other))
			.update();

		new ResourceDatabasePopulator(new ClassPathResource("db/migration/V20__idempotency_answers_lead_backfill.sql"))
			.execute(this.dataSource);

		assertThat(this.jdbc.sql("select lead_id from idempotency_request where location in (?, ?)")
			.params("http://localhost:8080/api/leads/" + id, "/nurture/api/leads/" + other)
			.query(UUID.class)
			.set()).containsExactlyInAnyOrder(UUID.fromString(id), UUID.fromString(other));
		assertThat(this.api.send(this.api.request("/api/leads/" + id).DELETE()).status()).isEqualTo(204);
		assertThat(storedAnswersMentioning(email)).isZero();
	}

	/** An answer holds the lead as sent; kept for its retries, not for ever. */
	@Test
	void anAnswerIsKeptForItsRetriesThenDeletedAndItsKeyIsANewRequest() {
		String email = uniqueEmail();
		String oldKey = UUID.randomUUID().toString();
		String newKey = UUID.randomUUID().toString();
		Response first = post(ada(email), "Idempotency-Key", oldKey);
		post(ada(uniqueEmail()), "Idempotency-Key", newKey);
		this.jdbc.sql("update idempotency_request set created_at = ? where idempotency_key = ?")
			.params(java.sql.Timestamp.from(this.clock.instant().minus(Duration.ofDays(7)).minusSeconds(1)), oldKey)
			.update();

		assertThat(this.expiry.expire()).isOne();

		assertThat(this.jdbc.sql("select idempotency_key from idempotency_request where idempotency_key in (?, ?)")
			.params(oldKey, newKey)
			.query(String.class)
			.list()).containsExactly(newKey);
		Response again = post(ada(email), "Idempotency-Key", oldKey);
		assertThat(first.status()).isEqualTo(201);
		assertThat(again.status()).as("a new request: the email is known now").isEqualTo(200);
	}

	@Test
	void aFailureAfterTheLeadIsInsertedLeavesNothingBehind() {
		String email = uniqueEmail();
		this.repository.suspendProcessDefinitionByKey(LeadNurture.PROCESS_KEY);
		try {
			Response failed = post(ada(email));

			assertThat(failed.status()).isEqualTo(500);
			assertThat(failed.header("Content-Type")).startsWith("application/problem+json");
		}
		finally {
			this.repository.activateProcessDefinitionByKey(LeadNurture.PROCESS_KEY);
		}
		assertThat(leadsWithEmail(email)).isZero();
		assertThat(this.api.get("/api/leads?email=" + email).status()).isEqualTo(404);
	}

	@Test
	void aLeadIsFoundByEmailAndAnUnknownOneIsAProblem() {
		String email = uniqueEmail();
		String id = post(ada(email)).json().get("id").asText();

		assertThat(this.api.get("/api/leads?email=" + email.toUpperCase()).json().get("id").asText()).isEqualTo(id);
		Response unknown = this.api.get("/api/leads?email=nobody@example.com");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(this.api.get("/api/leads/" + UUID.randomUUID()).status()).isEqualTo(404);
		assertThat(this.api.get("/api/leads/not-a-uuid").status()).isEqualTo(400);
	}

	/** A sub-address's {@code +} typed into the query as it is (not {@code %2B}) arrives as a space. */
	@Test
	void aLeadWithAPlusInItsEmailIsFoundWhenThePlusIsNotEncoded() {
		String email = "ada+newsletter-" + UUID.randomUUID() + "@example.com";
		String id = post(ada(email)).json().get("id").asText();

		assertThat(this.api.get("/api/leads?email=" + email).json().get("id").asText()).isEqualTo(id);
		assertThat(this.api.get("/api/leads?email=" + email.replace("+", "%2B")).json().get("id").asText())
			.isEqualTo(id);
	}

	Response post(String body, String... headers) {
		return this.api.postJson("/api/leads", body, headers);
	}

	void suppress(String address) {
		assertThat(this.api.postJson("/api/suppressions", "{\"address\":\"" + address + "\",\"reason\":\"asked\"}")
			.status()).isEqualTo(201);
	}

	/** Sales gives up on the lead through the API. */
	void disqualify(String leadId, String reason) {
		assertThat(this.api.send(this.api.request("/api/leads/" + leadId + "/disqualify?reason=" + reason)
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
	}

	/** The CRM pushes the lead's order. */
	void convert(UUID leadId) {
		assertThat(this.api.postJson("/api/leads/" + leadId + "/engagements",
				"{\"type\":\"CONVERTED\",\"detail\":\"order 1042\"}").status()).isEqualTo(201);
	}

	/** Customer success records that the customer left. */
	void churn(UUID leadId, String reason) {
		assertThat(this.api.send(this.api.request("/api/leads/" + leadId + "/churn?reason="
				+ java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8))
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
	}

	/** Whether the journey ended, and left through {@code endEvent}. */
	boolean endedAt(String journey, String endEvent) {
		return this.history.createHistoricProcessInstanceQuery().processInstanceId(journey).finished().count() == 1
				&& this.history.createHistoricActivityInstanceQuery()
					.processInstanceId(journey)
					.activityId(endEvent)
					.finished()
					.count() == 1;
	}

	Object exitReason(String journey) {
		return this.history.createHistoricVariableInstanceQuery()
			.processInstanceId(journey)
			.variableName(LeadNurture.EXIT_REASON)
			.singleResult()
			.getValue();
	}

	/** The types of the lead's engagement events, oldest first. */
	List<String> engagementOf(String leadId) {
		return this.jdbc.sql("select type from engagement_event where lead_id = ? order by id")
			.param(UUID.fromString(leadId))
			.query(String.class)
			.list();
	}

	/** The lead unsubscribes with the link of the last message it got (the one-click post). */
	void unsubscribe(String leadId) {
		UUID lead = UUID.fromString(leadId);
		long touch = this.jdbc.sql("select max(id) from touch where lead_id = ?").param(lead).query(Long.class).single();
		String link = this.links.unsubscribe(touch, lead);
		assertThat(this.api.send(this.api.request(link.substring(link.indexOf("/t/u/")), "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))).status())
			.isEqualTo(200);
	}

	/** Email and SMS consent, in that order, as the API shows the lead. */
	static List<Boolean> consentOf(JsonNode lead) {
		return List.of(lead.get("consent").get("email").asBoolean(), lead.get("consent").get("sms").asBoolean());
	}

	/** Every consent change kept for the lead, oldest first: channel, answer and source. */
	List<String> consentHistory(String leadId) {
		return this.jdbc.sql("""
				select channel || case when granted then ' true ' else ' false ' end || source
				from consent where lead_id = ? order by id""")
			.param(UUID.fromString(leadId))
			.query(String.class)
			.list();
	}

	/** How often the lead was asked at its address to confirm it wants email again. */
	long resubscriptionsAsked(String leadId) {
		return this.jdbc.sql("select count(*) from email_resubscription where lead_id = ?")
			.param(UUID.fromString(leadId))
			.query(Long.class)
			.single();
	}

	/** Posts a lead and ends its journey: the rep's call finds it not interested. Returns its id. */
	String leadWithEndedJourney(String email) {
		String id = post(ada(email)).json().get("id").asText();
		String journey = instanceOf(id);
		runJobs(journey);
		this.tasks.complete(this.tasks.createTaskQuery().processInstanceId(journey).singleResult().getId(),
				Map.of(LeadNurture.CALL_OUTCOME, "not_interested"));
		return id;
	}

	String instanceOf(String leadId) {
		return this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadId).singleResult().getId();
	}

	/** Runs the journey's due jobs, and the ones they create, until it waits for something else. */
	void runJobs(String instance) {
		for (int round = 0; round < 20; round++) {
			var due = this.management.createJobQuery().processInstanceId(instance).executable().list();
			if (due.isEmpty()) {
				return;
			}
			due.forEach((job) -> this.management.executeJob(job.getId()));
		}
		throw new AssertionError("The journey kept creating jobs");
	}

	long storedAnswersMentioning(String text) {
		return this.jdbc.sql("select count(*) from idempotency_request where body like ?")
			.param("%" + text + "%")
			.query(Long.class)
			.single();
	}

	long leadsWithEmail(String email) {
		return this.jdbc.sql("select count(*) from lead where email = ?").param(email).query(Long.class).single();
	}

	static String uniqueEmail() {
		return "lead-" + UUID.randomUUID() + "@example.com";
	}

	static String ada(String email) {
		return """
				{"email":"%s","phone":"030 901820","firstName":"Ada","lastName":"Lovelace",
				 "company":"Analytical Engines","title":"Head of Operations","industry":"software",
				 "companySize":"51-200","country":"de","timeZone":"Europe/Berlin","source":"webinar",
				 "campaign":"q4-ops","interests":["Automation","analytics","automation"],
				 "consent":{"email":true,"sms":false}}
				""".formatted(email);
	}

	static List<String> fields(JsonNode problem) {
		return problem.get("errors").findValuesAsText("field");
	}

}
