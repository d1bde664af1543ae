package io.nurtureflow.journey;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.engagement.Engagement;
import io.nurtureflow.engagement.EngagementRecorder;
import io.nurtureflow.engagement.EngagementRedelivery;
import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.lead.LeadConsent;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.FlowNodeCoverage;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import io.nurtureflow.tracking.TrackingLinks;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.nurtureflow.support.JourneyDriver.days;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bpmn/lead-nurture.bpmn}, path by path, through the real entry points: leads pushed to
 * the API, reps completing tasks as the forms would, engagement through tracking links, inbound
 * email and the API. Time moves on the engine clock.
 */
@NurtureflowTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeadNurtureProcessTest {

	private static final String KEY = LeadNurture.PROCESS_KEY;

	/** A Monday, 09:00 UTC: business hours. */
	private static final Instant MONDAY = Instant.parse("2031-03-03T09:00:00Z");

	/** Strong fit: software (30), 51-200 (25), director (25), Germany (15). */
	private static final String STRONG_FIT = """
			"industry":"software","companySize":"51-200","title":"Head of Operations","country":"DE\"""";

	/** Middling fit: retail (15), 11-50 (10), manager (15), France (15) = 55. */
	private static final String MIDDLING_FIT = """
			"industry":"retail","companySize":"11-50","title":"Store Manager","country":"FR\"""";

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
	RepositoryService repository;

	@Autowired
	IdentityService identity;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TrackingLinks links;

	@Autowired
	EngagementRecorder recorder;

	@Autowired
	EngagementRedelivery redelivery;

	@Autowired
	LeadConsent consent;

	Api api;

	JourneyDriver driver;

	LeadRecords records;

	@BeforeEach
	void startTheClock() {
		this.api = new Api(this.port);
		if (this.driver == null) {
			this.driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
			this.records = new LeadRecords(this.jdbc);
		}
		JourneyDriver.startClockAt(MONDAY);
	}

	@AfterEach
	void realTime() {
		JourneyDriver.resetClock();
	}

	@AfterAll
	void everyPathIsCovered() {
		var coverage = FlowNodeCoverage.of(KEY, List.copyOf(this.driver.seen()), this.repository, this.history)
			.report();
		assertThat(coverage.ratio()).as("flow-node coverage of %s, missed %s", KEY, coverage.missed())
			.isEqualTo(1.0);
	}

	// speed to lead

	@Test
	void aNewLeadIsScoredAcknowledgedAndCalledWithinTheSla() {
		UUID lead = lead(STRONG_FIT);
		String journey = journey(lead);

		assertThat(this.jdbc.sql("select fit_score, fit_grade from lead where id = ?").param(lead).query().singleRow())
			.containsEntry("FIT_SCORE", 95)
			.containsEntry("FIT_GRADE", "A");
		assertThat(touches(lead)).contains("EMAIL acknowledgement RECORDED", "SMS acknowledgement SKIPPED");
		Task call = this.driver.task(lead, "Task_CallNewLead");
		assertThat(call.getDueDate().toInstant()).isEqualTo(MONDAY.plus(Duration.ofMinutes(5)));
		assertThat(this.tasks.getIdentityLinksForTask(call.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("reps");
		assertThat((String) this.tasks.getVariableLocal(call.getId(), "leadScore")).startsWith("95 (MQL, fit A)");
		// the call task comes at once; the acknowledgement follows as its own job
		assertThat((String) this.tasks.getVariableLocal(call.getId(), "leadRecentTouches")).isEqualTo("- none yet");

		this.driver.complete(lead, "Task_CallNewLead", outcome("connected_interested"));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", true, "need", "faster follow-up"));

		assertThat(this.driver.passed(journey, "Timer_CallSla")).isFalse();
		assertThat(this.driver.passed(journey, "EndEvent_SalesQualified")).isTrue();
		assertThat(this.records.stage(lead)).isEqualTo("SQL");
	}

	/**
	 * The miss is on record as the timer fires, before the managers' notice, which is a job of
	 * its own and may wait out an SMTP outage: speed to lead counts misses from that record.
	 */
	@Test
	void aMissedFirstCallIsOnRecordBeforeTheManagersAreNotified() {
		UUID lead = lead(STRONG_FIT);
		String journey = journey(lead);
		JourneyDriver.startClockAt(this.driver.now().plus(Duration.ofMinutes(6)));

		Job sla = this.management.createJobQuery().processInstanceId(journey).activityId("Timer_CallSla").singleResult();
		this.management.executeJob(sla.getId());

		assertThat(this.driver.passed(journey, "Event_FirstCallSlaMissed")).isTrue();
		assertThat(this.driver.passed(journey, "Task_NotifyManagers")).isFalse();
		assertThat(this.management.createJobQuery().processInstanceId(journey).activityId("Task_NotifyManagers").count())
			.as("the notice waits in its own job").isOne();
	}

	@Test
	void aMissedSlaEscalatesToManagersWithoutCancellingTheCall() {
		UUID lead = lead(STRONG_FIT);

		this.driver.advance(lead, Duration.ofMinutes(6));

		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");
		assertThat(this.tasks.getIdentityLinksForTask(escalation.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("managers");
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isTrue();
		this.driver.complete(lead, "Task_EscalateMissedSla", Map.of("escalationAction", "called_myself"));
		assertThat(this.driver.passed(journey(lead), "EndEvent_SlaEscalated")).isTrue();
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isTrue();
		this.driver.advance(lead, Duration.ofHours(1));
		assertThat(timesPassed(journey(lead), "Task_NotifyManagers")).as("one notice").isOne();
	}

	/**
	 * The SLA is speed to lead: only the first call has its timer. A later attempt (here the retry
	 * after no answer) is due as soon in Tasklist, but no timer waits on it, so nothing fires for it
	 * however long it stays open.
	 */
	@Test
	void aLaterCallAttemptWaitsOnNoSlaTimerAndEscalatesNothing() {
		UUID lead = lead(STRONG_FIT);
		String journey = journey(lead);
		this.driver.complete(lead, "Task_CallNewLead", outcome("no_answer"));
		this.driver.advance(lead, days(1));

		assertThat(timersWaiting(journey)).as("timers the retry waits on").isEmpty();
		this.driver.advance(lead, Duration.ofHours(2));

		assertThat(this.driver.passed(journey, "Timer_CallSla")).as("no SLA timer fired").isFalse();
		assertThat(this.driver.passed(journey, "Task_NotifyManagers")).as("no notice").isFalse();
		assertThat(this.driver.hasTask(lead, "Task_EscalateMissedSla")).isFalse();
		Task retry = this.driver.task(lead, "Task_CallLeadAgain");
		assertThat(retry.getDueDate().toInstant()).as("due within the SLA all the same")
			.isEqualTo(MONDAY.plus(days(1)).plus(Duration.ofMinutes(5)));
		assertThat(this.tasks.getIdentityLinksForTask(retry.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("reps");
		assertThat(this.runtime.getVariable(journey, LeadNurture.CALL_ATTEMPTS)).isEqualTo(2);
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isFalse();
	}

	@Test
	void aMissedFirstCallEscalatesOnceHoweverLateTheRetriesAre() {
		UUID lead = lead(STRONG_FIT);
		String journey = journey(lead);
		this.driver.advance(lead, Duration.ofMinutes(6));
		this.driver.complete(lead, "Task_EscalateMissedSla", Map.of("escalationAction", "called_myself"));
		this.driver.complete(lead, "Task_CallNewLead", outcome("no_answer"));

		this.driver.advance(lead, days(1));
		assertThat(timersWaiting(journey)).as("timers the retry waits on").isEmpty();
		this.driver.advance(lead, Duration.ofHours(2));
		this.driver.complete(lead, "Task_CallLeadAgain", outcome("voicemail"));
		this.driver.advance(lead, days(2));
		this.driver.advance(lead, Duration.ofHours(2));

		assertThat(timesPassed(journey, "Timer_CallSla")).as("the first call's timer only").isOne();
		assertThat(timesPassed(journey, "Event_FirstCallSlaMissed")).isOne();
		assertThat(timesPassed(journey, "Task_NotifyManagers")).as("one notice").isOne();
		assertThat(this.driver.hasTask(lead, "Task_EscalateMissedSla")).isFalse();
		assertThat(this.driver.hasTask(lead, "Task_CallLeadAgain")).as("the third attempt stays open").isTrue();
	}

	@Test
	void aManagerReassignsTheMissedCallToAnotherRep() {
		UUID lead = lead(STRONG_FIT);
		String rep = member("reps");
		this.driver.advance(lead, Duration.ofMinutes(6));
		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");

		var completed = completeAsManager(escalation, "reassigned", rep);

		assertThat(completed.status()).as(completed.body()).isEqualTo(204);
		assertThat(this.driver.task(lead, "Task_CallNewLead").getAssignee()).isEqualTo(rep);
		assertThat(this.driver.passed(journey(lead), "EndEvent_SlaEscalated")).isTrue();
		assertThat(this.runtime.getVariable(journey(lead), "reassignTo")).as("the task's, not the journey's").isNull();
	}

	/**
	 * The manager's answer to the missed SLA decides who calls, also when a rep claimed the call
	 * and sat on it: the reassignment takes the call from that rep, as it is meant to.
	 */
	@Test
	void aReassignmentTakesTheMissedCallFromTheRepWhoClaimedIt() {
		UUID lead = lead(STRONG_FIT);
		String sitter = member("reps");
		String rep = member("reps");
		var claimed = claimAs(sitter, this.driver.task(lead, "Task_CallNewLead"));
		this.driver.advance(lead, Duration.ofMinutes(6));
		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");

		var completed = completeAsManager(escalation, "reassigned", rep);

		assertThat(claimed.status()).as(claimed.body()).isEqualTo(204);
		assertThat(completed.status()).as(completed.body()).isEqualTo(204);
		assertThat(this.driver.task(lead, "Task_CallNewLead").getAssignee()).isEqualTo(rep);
	}

	@Test
	void aReassignmentToSomeoneWhoIsNotARepIsRefusedAndTheEscalationStaysOpen() {
		UUID lead = lead(STRONG_FIT);
		this.driver.advance(lead, Duration.ofMinutes(6));
		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");

		var unknown = completeAsManager(escalation, "reassigned", "nobody-" + UUID.randomUUID());
		var manager = completeAsManager(escalation, "reassigned", member("managers"));

		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.body()).contains("no user");
		assertThat(manager.status()).isEqualTo(400);
		assertThat(manager.body()).contains("not a rep");
		assertThat(this.driver.hasTask(lead, "Task_EscalateMissedSla")).isTrue();
		assertThat(this.driver.task(lead, "Task_CallNewLead").getAssignee()).isNull();
	}

	@Test
	void aReassignmentAfterTheRepHasCalledChangesNothing() {
		UUID lead = lead(STRONG_FIT);
		String journey = journey(lead);
		this.driver.advance(lead, Duration.ofMinutes(6));
		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");
		this.driver.complete(lead, "Task_CallNewLead", outcome("not_interested"));

		var completed = completeAsManager(escalation, "reassigned", "nobody-" + UUID.randomUUID());

		assertThat(completed.status()).as(completed.body()).isEqualTo(204);
		assertThat(this.driver.passed(journey, "EndEvent_SlaEscalated")).isTrue();
	}

	@Test
	void aReassignmentReachesTheCallAgainWhenThatIsTheOpenCall() {
		UUID lead = lead(STRONG_FIT);
		String rep = member("reps");
		this.driver.advance(lead, Duration.ofMinutes(6));
		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");
		this.driver.complete(lead, "Task_CallNewLead", outcome("no_answer"));
		this.driver.advance(lead, days(1));

		var completed = completeAsManager(escalation, "reassigned", rep);

		assertThat(completed.status()).as(completed.body()).isEqualTo(204);
		assertThat(this.driver.task(lead, "Task_CallLeadAgain").getAssignee()).isEqualTo(rep);
	}

	@Test
	void theEscalationShowsTheManagerWhenTheMissedCallWasDue() {
		UUID lead = lead(STRONG_FIT);
		Task call = this.driver.task(lead, "Task_CallNewLead");

		this.driver.advance(lead, Duration.ofMinutes(6));

		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");
		assertThat(escalation.getDueDate()).isNull();
		assertThat(this.tasks.getVariableLocal(escalation.getId(), "callDue")).isEqualTo("Mon 3 Mar 09:05 (UTC)")
			.isEqualTo(this.tasks.getVariableLocal(call.getId(), "callDue"));
		// part of the call sheet: on the task, not in the history
		assertThat(this.history.createHistoricVariableInstanceQuery()
			.taskIdIn(escalation.getId())
			.variableName("callDue")
			.count()).isZero();
	}

	@Test
	void aLeadArrivingAtNightIsDueWhenTheRepsStart() {
		JourneyDriver.startClockAt(Instant.parse("2031-03-01T23:00:00Z"));
		UUID london = lead("\"timeZone\":\"Europe/London\"");

		assertThat(this.driver.task(london, "Task_CallNewLead").getDueDate().toInstant())
			.isEqualTo(Instant.parse("2031-03-03T08:05:00Z"));
	}

	@Test
	void aCallIsDueWhenBothTheRepsWorkAndItIsDaytimeForTheLead() {
		JourneyDriver.startClockAt(Instant.parse("2031-03-01T23:00:00Z"));
		UUID lead = lead("\"phone\":\"+1 415 555 2679\",\"timeZone\":\"America/Los_Angeles\",\"consent\":{\"email\":true,\"sms\":true}");

		// reps start at 08:00 UTC on Monday, but it is midnight in Los Angeles until 16:00 UTC
		assertThat(this.driver.task(lead, "Task_CallNewLead").getDueDate().toInstant())
			.isEqualTo(Instant.parse("2031-03-03T16:05:00Z"));
		assertThat(touches(lead)).contains("EMAIL acknowledgement RECORDED", "SMS acknowledgement DEFERRED");
		this.driver.advance(lead, days(2));
		assertThat(touches(lead)).contains("SMS acknowledgement RECORDED");
	}

	@Test
	void aLeadWhoseDaytimeNeverMeetsBusinessHoursIsDueWithinTheSlaOfBusinessHours() {
		// calling hours in Auckland (08:00-21:00, UTC+13) are 19:00-08:00 UTC: no moment of the
		// reps' 08:00-18:00 UTC is one at which the lead may be called
		UUID lead = lead("\"timeZone\":\"Pacific/Auckland\"");

		assertThat(this.driver.task(lead, "Task_CallNewLead").getDueDate().toInstant())
			.isEqualTo(MONDAY.plus(Duration.ofMinutes(5)));
	}

	@Test
	void anAcknowledgementHeldBackByTheFrequencyCapGoesLater() {
		UUID lead = leadWithoutSettling("\"consent\":{\"email\":true}");
		this.records.touchedElsewhere(lead, MONDAY.minus(Duration.ofHours(2)), 3);
		this.driver.settle(lead);

		assertThat(touches(lead)).contains("EMAIL acknowledgement DEFERRED");
		this.driver.advance(lead, days(7));
		assertThat(touches(lead)).contains("EMAIL acknowledgement RECORDED");
	}

	// call outcomes

	@Test
	void notNowWaitsForTheFollowUpDateAndCallsAgain() {
		UUID lead = lead(STRONG_FIT);
		Map<String, Object> form = outcome("not_now");
		form.put("followUpDate", "2031-03-10");

		this.driver.complete(lead, "Task_CallNewLead", form);
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isFalse();
		this.driver.advance(lead, days(7));

		assertThat(timersWaiting(journey(lead))).as("timers the call on the follow-up date waits on").isEmpty();
		assertThat(this.driver.hasTask(lead, "Task_CallLeadAgain")).isTrue();
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isFalse();
		assertThat(this.runtime.getVariable(journey(lead), LeadNurture.CALL_ATTEMPTS)).isEqualTo(2);
	}

	@Test
	void theWrongPersonNamesTheRightOneWhoBecomesALead() {
		UUID lead = lead(STRONG_FIT + ",\"company\":\"Analytical Engines\"");
		String referral = "alan-" + UUID.randomUUID() + "@example.com";
		Map<String, Object> form = outcome("wrong_person");
		form.put("referralName", "Alan Turing");
		form.put("referralEmail", referral);

		this.driver.complete(lead, "Task_CallNewLead", form);

		assertThat(this.driver.passed(journey(lead), "EndEvent_Referred")).isTrue();
		var referred = this.api.get("/api/leads?email=" + referral).json();
		assertThat(referred.get("firstName").asText()).isEqualTo("Alan");
		assertThat(referred.get("company").asText()).isEqualTo("Analytical Engines");
		assertThat(referred.get("source").asText()).isEqualTo("referral");
		assertThat(referred.get("activeJourneys")).hasSize(1);
	}

	/** The form's name is optional: a referral without one has no name, not the name "null". */
	@Test
	void aReferralWithoutANameBecomesALeadWithoutOne() {
		UUID lead = lead(STRONG_FIT);
		String referral = "nameless-" + UUID.randomUUID() + "@example.com";
		Map<String, Object> form = outcome("wrong_person");
		form.put("referralEmail", referral);

		this.driver.complete(lead, "Task_CallNewLead", form);

		var referred = this.api.get("/api/leads?email=" + referral).json();
		assertThat(referred.get("source").asText()).isEqualTo("referral");
		assertThat(referred.hasNonNull("firstName")).as(referred.toString()).isFalse();
		assertThat(referred.hasNonNull("lastName")).as(referred.toString()).isFalse();
	}

	@Test
	void notInterestedEndsTheJourneyDisqualified() {
		UUID lead = lead(STRONG_FIT);

		this.driver.complete(lead, "Task_CallNewLead", outcome("not_interested"));

		assertThat(this.driver.passed(journey(lead), "EndEvent_NotInterested")).isTrue();
		assertThat(this.records.stage(lead)).isEqualTo("DISQUALIFIED");
	}

	@Test
	void noAnswerAndVoicemailAreRetriedOnDaysOneThreeAndSevenThenTheLeadIsNurtured() {
		UUID lead = lead(MIDDLING_FIT);
		Instant first = this.driver.now();

		this.driver.complete(lead, "Task_CallNewLead", outcome("no_answer"));
		this.driver.advance(lead, days(1));
		assertThat(this.driver.task(lead, "Task_CallLeadAgain").getCreateTime().toInstant()).isEqualTo(first.plus(days(1)));
		this.driver.complete(lead, "Task_CallLeadAgain", outcome("voicemail"));
		this.driver.advance(lead, days(2));
		assertThat(this.driver.task(lead, "Task_CallLeadAgain").getCreateTime().toInstant()).isEqualTo(first.plus(days(3)));
		this.driver.complete(lead, "Task_CallLeadAgain", outcome("no_answer"));
		this.driver.advance(lead, days(4));
		assertThat(this.driver.task(lead, "Task_CallLeadAgain").getCreateTime().toInstant()).isEqualTo(first.plus(days(7)));
		this.driver.complete(lead, "Task_CallLeadAgain", outcome("voicemail"));

		assertThat(this.driver.hasTask(lead, "Task_CallLeadAgain")).isFalse();
		assertThat(this.runtime.getVariable(journey(lead), LeadNurture.CALL_ATTEMPTS)).isEqualTo(4);
		assertThat(this.driver.waitingAt(journey(lead))).contains("Gateway_WaitForEngagement");
		assertThat(touches(lead)).contains("EMAIL industry-insight RECORDED");
	}

	@Test
	void aLeadThatDoesNotQualifyYetIsNurtured() {
		UUID lead = lead(MIDDLING_FIT);

		this.driver.complete(lead, "Task_CallNewLead", outcome("meeting_booked"));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", false, "need", "not yet clear"));

		assertThat(this.driver.waitingAt(journey(lead))).contains("Gateway_WaitForEngagement");
	}

	@Test
	void theCadencePlansItsNextTouchWithoutWritingThePlanToHistory() {
		UUID lead = nurtured(MIDDLING_FIT);
		String journey = journey(lead);

		assertThat(this.runtime.getVariables(journey)).containsKeys("touchChannel", "touchContent", "touchWait",
				"cadenceStep");
		var kept = this.history.createHistoricVariableInstanceQuery()
			.processInstanceId(journey)
			.list()
			.stream()
			.map((variable) -> variable.getName())
			.toList();
		// the ledger records every touch made, with its channel and content
		assertThat(kept).contains("cadenceStep").doesNotContain("touchChannel", "touchContent", "touchWait",
				"cadenceDone");
	}

	@Test
	void aJourneyStartedByAnEarlierVersionGoesOnThoughItStoredTheRoutingFacts() {
		UUID lead = nurtured(MIDDLING_FIT);
		String journey = journey(lead);
		// what an earlier Nurtureflow left stored: the cadence's done flag on the journey, the last
		// touch's outcome on the cadence's scope, whose execution makes the cadence's touches
		this.runtime.setVariable(journey, "cadenceDone", false);
		var waiting = (ExecutionEntity) this.runtime.createExecutionQuery()
			.processInstanceId(journey)
			.activityId("Gateway_WaitForEngagement")
			.singleResult();
		this.runtime.setVariablesLocal(waiting.getParentId(), Map.of("touchStatus", "RECORDED"));

		this.driver.advance(lead, days(3));
		socialTouchDone(lead);
		this.driver.advance(lead, days(4));
		this.driver.advance(lead, Duration.ofHours(8));

		assertThat(this.runtime.createIncidentQuery().processInstanceId(journey).count()).isZero();
		assertThat(touches(lead)).contains("EMAIL benchmark-report RECORDED");
		assertThat(this.driver.waitingAt(journey)).contains("Gateway_WaitForEngagement");
	}

	@Test
	void aJourneyOnAnEarlierVersionWithAsyncAfterSendingStepsStillRoutesOnTheOutcome() throws Exception {
		// as earlier versions drew the sending steps: each ends in a job of its own
		String deployment = deployRedrawn("earlier-lead-nurture",
				(diagram) -> diagram.replace("camunda:asyncBefore=\"true\" camunda:jobPriority=\"100\"",
						"camunda:asyncBefore=\"true\" camunda:asyncAfter=\"true\" camunda:jobPriority=\"100\""));
		try {
			UUID lead = lead(MIDDLING_FIT);
			String journey = journey(lead);

			assertThat(this.history.createHistoricProcessInstanceQuery().processInstanceId(journey).singleResult()
				.getProcessDefinitionId()).isEqualTo(this.repository.createProcessDefinitionQuery()
					.deploymentId(deployment)
					.singleResult()
					.getId());
			assertThat(this.runtime.createIncidentQuery().processInstanceId(journey).count()).isZero();
			assertThat(this.driver.passed(journey, "EndEvent_Acknowledged")).isTrue();
			assertThat(this.driver.passed(journey, "EndEvent_SmsAcknowledged")).isTrue();
			assertThat(touches(lead)).contains("EMAIL acknowledgement RECORDED");
		}
		finally {
			this.repository.deleteDeployment(deployment, true);
		}
	}

	@Test
	void aSendingStepDrawnWithoutAJobOfItsOwnStillRunsAsOne() throws Exception {
		// a designer unticked "Asynchronous before" on every sending step
		String deployment = deployRedrawn("lead-nurture-without-send-jobs", (diagram) -> {
			String drawn = diagram.replaceAll(
					"camunda:asyncBefore=\"true\" ((camunda:jobPriority=\"100\" )?camunda:delegateExpression=\"\\$\\{send)",
					"$1");
			assertThat(drawn).doesNotContainPattern("asyncBefore=\"true\"[^>]*\\$\\{send");
			return drawn;
		});
		try {
			UUID lead = leadWithoutSettling(MIDDLING_FIT);
			String journey = journey(lead);

			assertThat(touches(lead)).as("nothing sent inside the submission").isEmpty();
			assertThat(this.management.createJobQuery()
				.processInstanceId(journey)
				.activityId(LeadNurture.TASK_SEND_ACKNOWLEDGEMENT)
				.count()).isOne();
			this.driver.settle(lead);
			assertThat(this.driver.passed(journey, "EndEvent_Acknowledged")).isTrue();
			assertThat(touches(lead)).contains("EMAIL acknowledgement RECORDED");
		}
		finally {
			this.repository.deleteDeployment(deployment, true);
		}
	}

	// nurture

	@Test
	void engagementThatMakesALeadHotPutsAFollowUpCallInFrontOfARep() {
		UUID lead = nurtured(MIDDLING_FIT);

		click(lead);
		assertThat(this.records.stage(lead)).isEqualTo("NEW");
		assertThat(this.driver.hasTask(lead, "Task_FollowUpHotLead")).isFalse();
		socialTouchDone(lead);
		reply(lead);

		assertThat(this.records.stage(lead)).isEqualTo("MQL");
		Task followUp = this.driver.task(lead, "Task_FollowUpHotLead");
		assertThat(this.tasks.getIdentityLinksForTask(followUp.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("reps");
		this.driver.complete(lead, "Task_FollowUpHotLead", outcome("meeting_booked"));
		assertThat(this.driver.hasTask(lead, "Task_Qualify")).isTrue();
	}

	/**
	 * A known lead submitting a form again is engagement too: when it lifts the score over the
	 * MQL threshold, the cadence hands the lead to a rep at once, as a reply would.
	 */
	@Test
	void aReturningLeadLiftedOverTheMqlThresholdByItsSubmissionIsHandedToARep() {
		UUID lead = nurtured(MIDDLING_FIT);
		String journey = journey(lead);

		submittedAgain(lead);

		assertThat(this.records.stage(lead)).isEqualTo("MQL");
		assertThat(this.driver.hasTask(lead, "Task_FollowUpHotLead")).isTrue();
		assertThat(this.driver.passed(journey, "Event_Reconverted")).isTrue();
		assertThat(engagementScore(lead)).isEqualTo(20.0);
		assertThat(untold(lead)).isZero();
	}

	/** A lead that left the email box unticked ticks it on a later form: the cadence's next email goes. */
	@Test
	void aReturningLeadGivingEmailConsentNowGetsTheCadencesNextEmail() {
		UUID lead = nurtured("\"consent\":{\"email\":false}");
		assertThat(touches(lead)).contains("EMAIL industry-insight SKIPPED");

		submittedAgain(lead);
		socialTouchDone(lead);
		this.driver.advance(lead, days(4));

		assertThat(touches(lead)).contains("EMAIL benchmark-report RECORDED");
	}

	/**
	 * A lead that unsubscribed from email (its SMS keeps the journey going) ticks email again on a
	 * form: it is asked at its own address, and once it confirms, the cadence's next email goes.
	 */
	@Test
	void aLeadThatUnsubscribedFromEmailAndConfirmsByTheEmailedLinkGetsTheCadencesNextEmail() {
		UUID lead = nurtured("\"consent\":{\"email\":true,\"sms\":true},\"phone\":\"+1 415 555 2684\"");
		unsubscribe(lead);
		submittedAgain(lead);
		socialTouchDone(lead);

		String body = this.jdbc.sql("select body from email_resubscription where lead_id = ?")
			.param(lead)
			.query(String.class)
			.single();
		Matcher link = Pattern.compile("/t/r/[A-Za-z0-9_\\-.]+").matcher(body);
		assertThat(link.find()).as("the link in %s", body).isTrue();
		assertThat(this.api.send(this.api.request(link.group(), "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(""))).status()).isEqualTo(200);
		this.driver.settle(lead);
		// its two acknowledgements and the first cadence email fill the week's cap: the next waits for it
		this.driver.advance(lead, days(4));
		this.driver.advance(lead, days(4));

		assertThat(this.records.consent(lead)).containsExactly(true, true);
		assertThat(touches(lead)).containsSubsequence("EMAIL industry-insight RECORDED", "EMAIL benchmark-report RECORDED");
	}

	/** The unsubscribe link came from the lead's own mailbox; a form may be typed by anyone. */
	@Test
	void aLeadThatUnsubscribedStaysUnsubscribedWhenItsFormIsSubmittedAgain() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		unsubscribe(lead);

		submittedAgain(lead);

		assertThat(this.records.consent(lead)).containsExactly(false, false);
		String second = this.driver.journeys(lead).get(1);
		assertThat(this.driver.passed(second, "EndEvent_Acknowledged")).isTrue();
		assertThat(touches(lead)).containsSubsequence("EMAIL acknowledgement RECORDED", "EMAIL acknowledgement SKIPPED");
	}

	/** A returning lead whose journey waits elsewhere (its first call) has its stored score brought up to date. */
	@Test
	void aReturningLeadIsRescoredWhereverItsJourneyWaits() {
		UUID lead = lead(MIDDLING_FIT);

		submittedAgain(lead);

		assertThat(engagementScore(lead)).isEqualTo(20.0);
		assertThat(this.driver.waitingAt(journey(lead))).containsExactly("Task_CallNewLead");
		assertThat(untold(lead)).isZero();
	}

	/**
	 * A re-conversion stored but never told (intake ran inside another journey's step, as a
	 * referral does, or the node died after committing it) reaches the journey at the next look.
	 */
	@Test
	void aReconversionStoredButNeverToldReachesTheJourneyAtTheNextRedelivery() {
		UUID lead = nurtured(MIDDLING_FIT);
		String journey = journey(lead);
		long event = storedButNeverTold(lead, "RECONVERSION", Duration.ofMinutes(2));

		assertThat(this.redelivery.tellUntold(Duration.ofMinutes(1))).isPositive();

		assertThat(this.records.told(event)).isTrue();
		assertThat(this.driver.passed(journey, "Event_Reconverted")).isTrue();
		assertThat(this.records.stage(lead)).isEqualTo("MQL");
	}

	@Test
	void aHotLeadNotReadyYetGoesBackToTheCadenceOrOut() {
		UUID later = nurtured(MIDDLING_FIT);
		reply(later);
		this.driver.complete(later, "Task_FollowUpHotLead", outcome("no_answer"));
		assertThat(this.driver.waitingAt(journey(later))).containsExactly("Task_SocialTouch");

		UUID never = nurtured(MIDDLING_FIT);
		reply(never);
		this.driver.complete(never, "Task_FollowUpHotLead", outcome("not_interested"));
		assertThat(this.driver.passed(journey(never), "EndEvent_NotInterested")).isTrue();
	}

	@Test
	void aHotLeadAskingToBeCalledLaterWaitsForTheFollowUpDateAndIsCalledAgain() {
		UUID lead = nurtured(MIDDLING_FIT);
		reply(lead);
		Map<String, Object> form = outcome("not_now");
		form.put("followUpDate", "2031-03-10");

		this.driver.complete(lead, "Task_FollowUpHotLead", form);
		assertThat(this.driver.waitingAt(journey(lead))).containsExactly("Timer_FollowUpDate");
		this.driver.advance(lead, days(6));
		assertThat(this.driver.hasTask(lead, "Task_CallLeadAgain")).isFalse();
		this.driver.advance(lead, days(1));

		assertThat(timersWaiting(journey(lead))).as("timers the call on the follow-up date waits on").isEmpty();
		assertThat(this.driver.hasTask(lead, "Task_CallLeadAgain")).isTrue();
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isFalse();
	}

	@Test
	void aHotLeadWhoIsTheWrongPersonNamesTheRightOneWhoBecomesALead() {
		UUID lead = nurtured(MIDDLING_FIT + ",\"company\":\"Harvard Computation Lab\"");
		reply(lead);
		String referral = "grace-" + UUID.randomUUID() + "@example.com";
		Map<String, Object> form = outcome("wrong_person");
		form.put("referralName", "Grace Hopper");
		form.put("referralEmail", referral);

		this.driver.complete(lead, "Task_FollowUpHotLead", form);

		assertThat(this.driver.passed(journey(lead), "EndEvent_Referred")).isTrue();
		assertThat(this.driver.ended(journey(lead))).isTrue();
		var referred = this.api.get("/api/leads?email=" + referral).json();
		assertThat(referred.get("firstName").asText()).isEqualTo("Grace");
		assertThat(referred.get("company").asText()).isEqualTo("Harvard Computation Lab");
		assertThat(referred.get("source").asText()).isEqualTo("referral");
		assertThat(referred.get("activeJourneys")).hasSize(1);
	}

	@Test
	void aReplyLongerThanAVariableHoldsReachesTheJourneyAbbreviatedAsStored() {
		UUID lead = nurtured(MIDDLING_FIT);

		reply(lead, "quoted+thread+".repeat(500));

		assertThat(this.driver.hasTask(lead, "Task_FollowUpHotLead")).isTrue();
		assertThat(this.jdbc.sql("select detail from engagement_event where lead_id = ? and type = 'REPLIED'")
			.param(lead)
			.query(String.class)
			.single()).hasSize(2000).startsWith("Re\nquoted thread").endsWith("...");
	}

	/** A reload, a double click or a scanner following a link again is kept, and counts once. */
	@Test
	void aLinkClickedAgainIsKeptButCountsOnceInTheScore() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		long touch = this.records.lastTouch(lead);
		String guide = this.links.click(touch, lead, "https://nurtureflow.io/resources/guide");
		String pricing = this.links.click(touch, lead, "https://nurtureflow.io/pricing");

		for (String link : List.of(guide, guide, pricing, guide)) {
			assertThat(this.api.get(link.substring(link.indexOf("/t/c/")), "Authorization", "").status()).isEqualTo(302);
		}
		this.driver.settle(lead);

		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'CLICKED'")
			.param(lead)
			.query(Long.class)
			.single()).isEqualTo(4);
		JsonNode score = this.api.get("/api/leads/" + lead + "/score").json();
		assertThat(score.get("engagement").findValuesAsText("type")).containsExactly("CLICKED", "CLICKED");
	}

	@Test
	void twoClicksAtTheSameMomentAreBothKeptAndTheJourneyMovesOnce() throws Exception {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		String link = this.links.click(this.records.lastTouch(lead), lead, "https://nurtureflow.io/resources/checklist");

		assertThat(fetchedAtOnce(List.of(link, link))).containsExactly(302, 302);

		assertClicksKeptAndTheJourneyMovedOnce(lead, journey, 2);
	}

	/**
	 * A journey row locked by another transaction for longer than the database waits (H2 gives
	 * up after two seconds; PostgreSQL waits, and the same retry covers its deadlocks): the
	 * click is stored at once and reaches the journey on a later attempt, and the person
	 * clicking is redirected.
	 */
	@Test
	void aClickThatWaitsTooLongForALockReachesTheJourneyOnALaterAttempt() throws Exception {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		String link = this.links.click(this.records.lastTouch(lead), lead, "https://nurtureflow.io/resources/guide");

		int status = sentWhileLocked("""
				select id_ from act_ru_event_subscr where proc_inst_id_ = ? and event_name_ = 'LeadClicked' for update""",
				journey, EngagementCorrelator.class,
				() -> this.api.get(link.substring(link.indexOf("/t/c/")), "Authorization", "").status());

		assertThat(status).isEqualTo(302);
		assertClicksKeptAndTheJourneyMovedOnce(lead, journey, 1);
	}

	/**
	 * The lead's own row held past the database's wait (a journey step scoring the lead, on a
	 * slow machine): the click is stored on a later attempt instead of being refused.
	 */
	@Test
	void aClickThatWaitsTooLongForTheLeadIsStoredOnALaterAttempt() throws Exception {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		String link = this.links.click(this.records.lastTouch(lead), lead, "https://nurtureflow.io/resources/faq");

		int status = sentWhileLocked("select id from lead where id = cast(? as uuid) for update", lead.toString(),
				EngagementRecorder.class,
				() -> this.api.get(link.substring(link.indexOf("/t/c/")), "Authorization", "").status());

		assertThat(status).isEqualTo(302);
		assertClicksKeptAndTheJourneyMovedOnce(lead, journey, 1);
	}

	/**
	 * A mail security scanner fetches every link of a message at once. Sixteen clicks on one
	 * journey: each answered with its redirect and stored, the journey moved once. (The losers
	 * meet the optimistic lock, a subscription already taken, or the engine's
	 * {@code NullPointerException} on an execution whose parent the winner removed; the last
	 * answered 500 once in 20 such bursts before it counted as a collision.)
	 */
	@Test
	void aScannerFetchingEveryLinkAtOnceLosesNoClickAndMovesTheJourneyOnce() throws Exception {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		List<String> links = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			links.add(this.links.click(this.records.lastTouch(lead), lead, "https://nurtureflow.io/r/" + i));
		}

		assertThat(fetchedAtOnce(links)).containsOnly(302).hasSize(16);

		assertClicksKeptAndTheJourneyMovedOnce(lead, journey, 16);
	}

	/**
	 * A click stored while its request died before the journey heard of it (the node killed in
	 * between): nobody sends a click again, so the next redelivery look tells the journey, once.
	 */
	@Test
	void aClickStoredButNeverToldReachesTheJourneyAtTheNextRedelivery() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		long click = storedButNeverTold(lead, "CLICKED", Duration.ofMinutes(2));
		double scoreBefore = engagementScore(lead);

		assertThat(this.redelivery.tellUntold(Duration.ofMinutes(1))).isPositive();

		assertClicksKeptAndTheJourneyMovedOnce(lead, journey, 1);
		assertThat(this.records.told(click)).isTrue();
		assertThat(engagementScore(lead)).as("rescored with the click").isGreaterThan(scoreBefore);
		this.redelivery.tellUntold(Duration.ofMinutes(1));
		assertClicksKeptAndTheJourneyMovedOnce(lead, journey, 1);
	}

	/**
	 * The unsubscribe link withdrew the lead's last consent and stored the event, and the request
	 * died before the journey heard of it: the next look ends the journey through its exit.
	 */
	@Test
	void anUnsubscribeStoredButNeverToldEndsTheJourneyAtTheNextRedelivery() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		this.consent.set(lead, LeadConsent.ConsentChannel.EMAIL, false, "unsubscribe link");
		long unsubscribed = storedButNeverTold(lead, "UNSUBSCRIBED", Duration.ofMinutes(2));

		this.redelivery.tellUntold(Duration.ofMinutes(1));

		assertThat(this.records.told(unsubscribed)).isTrue();
		this.driver.settle(lead);
		assertThat(this.driver.passed(journey, "EndEvent_ExitUnsubscribed")).isTrue();
		assertThat(this.driver.ended(journey)).isTrue();
	}

	/**
	 * The unsubscribe link withdrew the consent, and the request died before storing the event:
	 * the person, seeing no confirmation, uses the link again, and the journey ends once.
	 */
	@Test
	void anUnsubscribeWhoseEventWasLostIsStoredWhenTheLinkIsUsedAgain() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		this.consent.set(lead, LeadConsent.ConsentChannel.EMAIL, false, "unsubscribe link");

		unsubscribe(lead);
		unsubscribe(lead);

		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'UNSUBSCRIBED'")
			.param(lead)
			.query(Long.class)
			.single()).isOne();
		assertThat(this.driver.passed(journey, "EndEvent_ExitUnsubscribed")).isTrue();
		assertThat(this.driver.ended(journey)).isTrue();
	}

	/** An event younger than the look's age is still being told by its own request: left to it. */
	@Test
	void anEngagementYoungerThanTheRedeliveryIsLeftToItsOwnRequest() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		long click = storedButNeverTold(lead, "CLICKED", Duration.ofSeconds(30));

		this.redelivery.tellUntold(Duration.ofMinutes(1));

		assertThat(this.records.told(click)).isFalse();
		assertThat(this.driver.passed(journey, "Event_Clicked")).isFalse();
		this.driver.advance(lead, Duration.ofMinutes(1));
		this.redelivery.tellUntold(Duration.ofMinutes(1));
		assertThat(this.records.told(click)).isTrue();
		assertThat(this.driver.passed(journey, "Event_Clicked")).isTrue();
	}

	/**
	 * An event this node cannot tell (a type a newer node stored during a rolling upgrade) does not
	 * hold back the others, and is given up after its attempts, one a minute, instead of being
	 * tried for ever.
	 */
	@Test
	void anEngagementThatCannotBeToldIsGivenUpAfterItsAttemptsWithoutHoldingOthersBack() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		for (int look = 0; look < EngagementRedelivery.ATTEMPTS; look++) {
			// whatever other tests left untold is told or given up by now
			lookAMinuteLater();
		}
		double untold = metric("nurture_engagement_untold");
		double givenUp = metric("nurture_engagement_given_up");
		long unknown = storedButNeverTold(lead, "WEBINAR_ATTENDED", Duration.ofMinutes(3));
		long click = storedButNeverTold(lead, "CLICKED", Duration.ofMinutes(2));

		this.redelivery.tellUntold(Duration.ofMinutes(1));

		assertThat(this.records.told(click)).isTrue();
		assertThat(this.driver.passed(journey, "Event_Clicked")).isTrue();
		assertThat(attempts(unknown)).isOne();
		assertThat(metric("nurture_engagement_untold")).isEqualTo(untold + 1);
		this.redelivery.tellUntold(Duration.ofMinutes(1));
		assertThat(attempts(unknown)).as("not tried again within the minute").isOne();
		for (int look = 0; look < 2 * EngagementRedelivery.ATTEMPTS; look++) {
			lookAMinuteLater();
		}
		assertThat(attempts(unknown)).isEqualTo(EngagementRedelivery.ATTEMPTS);
		assertThat(this.records.told(unknown)).isFalse();
		assertThat(metric("nurture_engagement_untold")).isEqualTo(untold);
		assertThat(metric("nurture_engagement_given_up")).isEqualTo(givenUp + 1);

		// what the README tells an operator to do once the cause is gone
		this.jdbc.sql("update engagement_event set tell_attempts = 0 where journeys_told = false and id = ?")
			.param(unknown)
			.update();
		lookAMinuteLater();
		assertThat(attempts(unknown)).as("tried again").isOne();
		this.jdbc.sql("delete from engagement_event where id = ?").param(unknown).update();
	}

	/** A redelivery look a minute later on the engine's clock: untold events are tried once a minute. */
	private void lookAMinuteLater() {
		JourneyDriver.startClockAt(this.driver.now().plus(Duration.ofMinutes(1)));
		this.redelivery.tellUntold(Duration.ofMinutes(1));
	}

	/** A gauge's value as {@code /actuator/prometheus} shows it now. */
	private double metric(String name) {
		var scraped = this.api.get("/actuator/prometheus");
		assertThat(scraped.status()).isEqualTo(200);
		var value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scraped.body());
		assertThat(value.find()).as("%s in %s", name, scraped.body()).isTrue();
		return Double.parseDouble(value.group(1));
	}

	@Test
	void everyKindOfEngagementWakesTheCadence() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);

		push(lead, "CONTENT_DOWNLOADED", "checklist");
		socialTouchDone(lead);
		push(lead, "SURVEY_ANSWERED", "evaluating tools");
		smsReply(lead);
		assertThat(this.driver.passed(journey, "Event_SmsReplied")).isTrue();

		assertThat(this.driver.passed(journey, "Event_ContentDownloaded")).isTrue();
		assertThat(this.driver.passed(journey, "Event_SurveyAnswered")).isTrue();
		assertThat(this.driver.passed(journey, "Task_Rescore")).isTrue();
	}

	@Test
	void aSilentLeadGoesThroughTheCadenceThenTheLongTermTrackAndIsUnsubscribedWithoutAnAnswer() {
		UUID lead = nurtured("\"consent\":{\"email\":true,\"sms\":true},\"phone\":\"+1 415 555 2680\","
				+ "\"timeZone\":\"Europe/London\"");
		String journey = journey(lead);

		throughTheCadence(lead);
		assertThat(touches(lead)).contains("EMAIL benchmark-report RECORDED", "SMS check-in RECORDED",
				"EMAIL video-walkthrough RECORDED", "EMAIL survey RECORDED");
		assertThat(this.driver.passed(journey, "Task_SocialTouch")).isTrue();
		assertThat(this.driver.passed(journey, "EndEvent_CadenceSilent")).isTrue();
		assertThat(touches(lead)).contains("EMAIL monthly-digest RECORDED");

		for (int month = 0; month < 7 && !this.driver.passed(journey, "Task_SendRepermission"); month++) {
			this.driver.advance(lead, days(30));
		}
		assertThat(touches(lead)).contains("EMAIL re-permission RECORDED");
		this.driver.advance(lead, days(14));

		assertThat(this.driver.passed(journey, "EndEvent_Unsubscribed")).isTrue();
		assertThat(this.records.consent(lead)).containsExactly(false, false);
		assertThat(this.records.stage(lead)).isEqualTo("UNSUBSCRIBED");
	}

	@Test
	void answeringTheLongTermTrackBringsTheLeadBack() {
		UUID clicker = nurtured("\"consent\":{\"email\":true}");
		throughTheCadence(clicker);
		click(clicker);
		assertThat(this.driver.passed(journey(clicker), "Event_MonthlyClicked")).isTrue();
		assertThat(this.driver.passed(journey(clicker), "EndEvent_ReEngaged")).isTrue();

		UUID replier = nurtured("\"consent\":{\"email\":true}");
		throughTheCadence(replier);
		reply(replier);
		assertThat(this.driver.passed(journey(replier), "Event_MonthlyReplied")).isTrue();

		UUID asked = nurtured("\"consent\":{\"email\":true}");
		throughTheCadence(asked);
		for (int month = 0; month < 7 && !this.driver.passed(journey(asked), "Task_SendRepermission"); month++) {
			this.driver.advance(asked, days(30));
		}
		reply(asked);
		assertThat(this.driver.passed(journey(asked), "Event_RepermissionReplied")).isTrue();
		assertThat(this.records.consent(asked)).containsExactly(true, false);

		UUID clickedAsked = nurtured("\"consent\":{\"email\":true}");
		throughTheCadence(clickedAsked);
		for (int month = 0; month < 7 && !this.driver.passed(journey(clickedAsked), "Task_SendRepermission"); month++) {
			this.driver.advance(clickedAsked, days(30));
		}
		click(clickedAsked);
		assertThat(this.driver.passed(journey(clickedAsked), "Event_RepermissionClicked")).isTrue();
	}

	@Test
	void nurtureTouchesHeldBackByTheContactPolicyWaitAndGo() {
		UUID lead = leadWithoutSettling("\"consent\":{\"email\":true,\"sms\":true},\"phone\":\"+1 415 555 2681\","
				+ "\"timeZone\":\"America/New_York\"");
		this.driver.settle(lead);
		notQualified(lead);
		String journey = journey(lead);
		// the third touch of the cadence falls due on day 14, in a week with three touches already
		this.records.touchedElsewhere(lead, this.driver.now().plus(Duration.ofDays(13)), 3);

		throughTheCadence(lead);

		assertThat(this.driver.passed(journey, "Timer_NurtureEmailDeferred")).isTrue();
		assertThat(this.driver.passed(journey, "Timer_NurtureSmsDeferred")).isTrue();
	}

	@Test
	void longTermTouchesHeldBackByTheContactPolicyWaitAWeekAndGoMonthAfterMonth() {
		UUID lead = nurtured("\"consent\":{\"email\":true}");
		String journey = journey(lead);
		throughTheCadence(lead);

		// every month of the long-term track, up to the re-permission question, falls in a week
		// with three touches already
		for (int month = 0; month < 8 && !this.driver.passed(journey, "Task_SendRepermission"); month++) {
			this.records.touchedElsewhere(lead, this.driver.now().plus(days(29)), 3);
			this.driver.advance(lead, days(30));
			String held = touches(lead).get(touches(lead).size() - 1);
			assertThat(held).matches("EMAIL (monthly-digest|re-permission) DEFERRED");
			assertThat(this.driver.waitingAt(journey)).containsAnyOf("Timer_MonthlyDeferred",
					"Timer_RepermissionDeferred");
			this.driver.advance(lead, days(7));
			assertThat(touches(lead)).endsWith(held, held.replace(" DEFERRED", " RECORDED"));
		}

		assertThat(touches(lead)).containsSubsequence("EMAIL monthly-digest RECORDED", "EMAIL monthly-digest DEFERRED",
				"EMAIL monthly-digest RECORDED");
		assertThat(touches(lead)).endsWith("EMAIL re-permission DEFERRED", "EMAIL re-permission RECORDED");
		assertThat(this.driver.passed(journey, "Timer_MonthlyDeferred")).isTrue();
		assertThat(this.driver.passed(journey, "Timer_RepermissionDeferred")).isTrue();
		assertThat(this.driver.waitingAt(journey)).contains("Gateway_WaitRepermission");
	}

	// exits

	@Test
	void aLeadUnsubscribedFromEveryChannelLeavesTheJourney() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		String journey = journey(lead);

		unsubscribe(lead);

		assertThat(this.driver.passed(journey, "EndEvent_ExitUnsubscribed")).isTrue();
		assertThat(this.driver.ended(journey)).isTrue();
		assertThat(this.records.stage(lead)).isEqualTo("UNSUBSCRIBED");
	}

	@Test
	void optingOutOfOneChannelOnlyStopsThatChannel() {
		UUID lead = lead("\"consent\":{\"email\":true,\"sms\":true},\"phone\":\"+1 415 555 2682\"");
		String journey = journey(lead);

		smsStop(lead);
		assertThat(this.driver.ended(journey)).isFalse();
		assertThat(this.driver.hasTask(lead, "Task_CallNewLead")).isTrue();

		unsubscribe(lead);
		assertThat(this.driver.passed(journey, "EndEvent_ExitUnsubscribed")).isTrue();
	}

	@Test
	void aConversionStartsTheCustomerJourney() {
		UUID lead = lead(STRONG_FIT);

		push(lead, "CONVERTED", "order 77");

		assertThat(this.driver.passed(journey(lead), "EndEvent_ExitConverted")).isTrue();
		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
		assertThat(this.driver.ended(this.driver.journey(lead, LeadNurture.CUSTOMER_PROCESS_KEY))).isFalse();
	}

	@Test
	void aLeadHandedOverToSalesWhoSignsLaterBecomesACustomer() {
		UUID lead = lead(STRONG_FIT);
		this.driver.complete(lead, "Task_CallNewLead", outcome("meeting_booked"));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", true));
		assertThat(this.driver.ended(journey(lead))).isTrue();

		push(lead, "CONVERTED", "signed after the demo");

		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
		assertThat(this.driver.ended(this.driver.journey(lead, LeadNurture.CUSTOMER_PROCESS_KEY))).isFalse();
	}

	@Test
	void disqualifyingOrDeletingALeadThroughTheApiEndsItsJourney() {
		UUID disqualified = lead(STRONG_FIT);
		assertThat(this.api.send(this.api.request("/api/leads/" + disqualified + "/disqualify?reason=competitor")
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
		assertThat(this.driver.passed(journey(disqualified), "EndEvent_ExitDisqualified")).isTrue();
		assertThat(this.records.stage(disqualified)).isEqualTo("DISQUALIFIED");

		UUID deleted = lead(STRONG_FIT);
		String journey = journey(deleted);
		this.runtime.setVariable(journey, EngagementCorrelator.ENGAGEMENT_DETAIL, "Re: call me on my private number");
		this.tasks.createComment(null, journey, "She asked us to call her husband instead");
		assertThat(this.history.createHistoricVariableInstanceQuery().processInstanceId(journey).count()).isPositive();
		assertThat(this.api.send(this.api.request("/api/leads/" + deleted).DELETE()).status()).isEqualTo(204);
		assertThat(this.driver.passed(journey, "EndEvent_ExitDeleted")).isTrue();
		assertThat(this.jdbc.sql("select count(*) from touch where lead_id = ?").param(deleted).query(Long.class).single())
			.isZero();
		assertThat(this.history.createHistoricVariableInstanceQuery().processInstanceId(journey).count()).isZero();
		assertThat(this.history.createHistoricDetailQuery().processInstanceId(journey).count()).isZero();
		assertThat(this.tasks.getProcessInstanceComments(journey)).isEmpty();
		assertThat(this.api.send(this.api.request("/api/leads/" + UUID.randomUUID()).DELETE()).status()).isEqualTo(404);
	}

	/**
	 * Disqualifying and erasing, the API's changes to a journey, meet the same lock (a touch of
	 * that journey being sent at the moment) and are run again as a whole.
	 */
	@Test
	void disqualifyingOrDeletingALeadWhoseJourneyIsLockedRunsAgainOnceTheLockIsGone() throws Exception {
		UUID disqualified = lead(STRONG_FIT);
		int status = sentWhileLocked("select id_ from act_ru_execution where proc_inst_id_ = ? for update",
				journey(disqualified), io.nurtureflow.lead.LeadLifecycle.class,
				() -> this.api.send(this.api.request("/api/leads/" + disqualified + "/disqualify?reason=competitor")
					.POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status());
		assertThat(status).isEqualTo(204);
		assertThat(this.driver.passed(journey(disqualified), "EndEvent_ExitDisqualified")).isTrue();
		assertThat(this.records.stage(disqualified)).isEqualTo("DISQUALIFIED");

		UUID deleted = lead(STRONG_FIT);
		String journey = journey(deleted);
		status = sentWhileLocked("select id_ from act_ru_execution where proc_inst_id_ = ? for update", journey,
				io.nurtureflow.lead.LeadLifecycle.class,
				() -> this.api.send(this.api.request("/api/leads/" + deleted).DELETE()).status());
		assertThat(status).isEqualTo(204);
		assertThat(this.driver.passed(journey, "EndEvent_ExitDeleted")).isTrue();
		assertThat(this.jdbc.sql("select count(*) from lead where id = ?").param(deleted).query(Long.class).single())
			.isZero();
	}

	/** Held past every attempt (three; H2 gives up on each after seconds): refused, and nothing changed. */
	@Test
	void aDeletionThatFindsTheJourneyLockedOnEveryAttemptIsRefusedAndChangesNothing() throws Exception {
		UUID lead = lead(STRONG_FIT);
		assertDeletionRefusedWhileHeld(lead, "select id_ from act_ru_execution where proc_inst_id_ = ? for update",
				journey(lead));
	}

	/** The lead's own row held (a journey step scoring it): the same answer, though H2 reports it otherwise. */
	@Test
	void aDeletionThatFindsTheLeadLockedOnEveryAttemptIsRefusedAsBusy() throws Exception {
		UUID lead = lead(STRONG_FIT);
		assertDeletionRefusedWhileHeld(lead, "select id from lead where id = cast(? as uuid) for update",
				lead.toString());
	}

	// helpers

	/**
	 * Deploys lead-nurture as {@code redraw} changes it, as the latest version new journeys start
	 * on; returns the deployment's id, for the test to delete.
	 */
	private String deployRedrawn(String name, UnaryOperator<String> redraw) throws Exception {
		String diagram = new ClassPathResource("bpmn/lead-nurture.bpmn").getContentAsString(StandardCharsets.UTF_8);
		String redrawn = redraw.apply(diagram);
		assertThat(redrawn).as("the redrawn diagram").isNotEqualTo(diagram);
		return this.repository.createDeployment().name(name).addString("lead-nurture.bpmn", redrawn).deploy().getId();
	}

	private void assertDeletionRefusedWhileHeld(UUID lead, String lock, String id) throws Exception {
		String journey = journey(lead);
		try (Connection holder = this.dataSource.getConnection()) {
			holder.setAutoCommit(false);
			try (var select = holder.prepareStatement(lock)) {
				select.setString(1, id);
				assertThat(select.executeQuery().next()).as("rows to lock").isTrue();
			}
			var refused = this.api.send(this.api.request("/api/leads/" + lead).DELETE());
			holder.rollback();

			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			assertThat(refused.json().get("type").asText()).isEqualTo("https://nurtureflow.io/problems/busy");
		}
		assertThat(this.jdbc.sql("select count(*) from lead where id = ?").param(lead).query(Long.class).single())
			.isOne();
		assertThat(this.driver.ended(journey)).isFalse();
		assertThat(this.driver.passed(journey, "EndEvent_ExitDeleted")).isFalse();

		assertThat(this.api.send(this.api.request("/api/leads/" + lead).DELETE()).status()).isEqualTo(204);
		assertThat(this.driver.passed(journey, "EndEvent_ExitDeleted")).isTrue();
	}

	/**
	 * Sends a request while another transaction holds the rows {@code lock} selects for the
	 * journey (or lead) {@code id}, and lets them go once the request has waited for them in vain (H2 gives up after
	 * two seconds) and the {@code retrying} class logs that it runs again. Returns the status,
	 * after checking that the engine logged no error for the collision that was run again.
	 */
	private int sentWhileLocked(String lock, String id, Class<?> retrying, Callable<Integer> request)
			throws Exception {
		var retried = new CountDownLatch(1);
		AppenderBase<ILoggingEvent> watcher = new AppenderBase<>() {

			@Override
			protected void append(ILoggingEvent event) {
				if (event.getFormattedMessage().contains("runs again")) {
					retried.countDown();
				}
			}

		};
		var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(retrying);
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		logger.addAppender(watcher);
		watcher.start();
		List<String> engineErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
		AppenderBase<ILoggingEvent> engineLog = new AppenderBase<>() {

			@Override
			protected void append(ILoggingEvent event) {
				if (event.getLevel() == Level.ERROR) {
					engineErrors.add(event.getFormattedMessage());
				}
			}

		};
		var engine = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(HandledCollisions.ENGINE_COMMANDS);
		engine.addAppender(engineLog);
		engineLog.start();
		var pool = Executors.newSingleThreadExecutor();
		try (Connection holder = this.dataSource.getConnection()) {
			holder.setAutoCommit(false);
			try (var select = holder.prepareStatement(lock)) {
				select.setString(1, id);
				assertThat(select.executeQuery().next()).as("rows to lock").isTrue();
			}
			Future<Integer> answer = pool.submit(request);
			long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!retried.await(50, TimeUnit.MILLISECONDS)) {
				assertThat(answer.isDone()).as("answered %s before any retry", answer.isDone() ? answer.get() : "")
					.isFalse();
				assertThat(System.nanoTime()).as("a retry within 30 s").isLessThan(giveUp);
			}
			holder.rollback();
			int status = answer.get();
			assertThat(engineErrors).as("the engine's errors for a collision that was run again").isEmpty();
			return status;
		}
		finally {
			pool.shutdownNow();
			logger.detachAppender(watcher);
			logger.setLevel(level);
			engine.detachAppender(engineLog);
		}
	}

	/**
	 * Fetches the tracking links all at once, each from its own client address (as a
	 * scanner's pool does; the public rate limit stays out of it). Returns the statuses.
	 */
	private List<Integer> fetchedAtOnce(List<String> links) throws Exception {
		return AtOnce.call(links.size(), (i) -> this.api
			.get(links.get(i).substring(links.get(i).indexOf("/t/c/")), "X-Forwarded-For", "10.9.0." + i)
			.status());
	}

	/** An engagement event left stored and untold, received {@code ago} on the engine's clock. */
	private long storedButNeverTold(UUID lead, String type, Duration ago) {
		return this.records.storedButNeverTold(lead, this.records.lastTouch(lead), type, this.driver.now().minus(ago));
	}

	private int attempts(long event) {
		return this.jdbc.sql("select tell_attempts from engagement_event where id = ?")
			.param(event)
			.query(Integer.class)
			.single();
	}

	private double engagementScore(UUID lead) {
		return this.jdbc.sql("select engagement_score from lead where id = ?").param(lead).query(Double.class).single();
	}

	/** Every click stored, the journey moved on by one of them only, and no incident. */
	private void assertClicksKeptAndTheJourneyMovedOnce(UUID lead, String journey, long clicks) {
		this.driver.settle(lead);
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'CLICKED'")
			.param(lead)
			.query(Long.class)
			.single()).isEqualTo(clicks);
		assertThat(this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(journey)
			.activityId("Event_Clicked")
			.count()).isOne();
		assertThat(this.runtime.createIncidentQuery().processInstanceId(journey).count()).isZero();
	}

	private UUID lead(String fields) {
		UUID lead = leadWithoutSettling(fields);
		this.driver.settle(lead);
		return lead;
	}

	private UUID leadWithoutSettling(String fields) {
		String body = "{\"email\":\"journey-" + UUID.randomUUID() + "@example.com\",\"firstName\":\"Ada\","
				+ (fields.contains("consent") ? "" : "\"consent\":{\"email\":true},") + fields + "}";
		var created = this.api.postJson("/api/leads", body);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		journey(lead);
		return lead;
	}

	/** A lead the rep met but that did not qualify: it is in the nurture cadence. */
	private UUID nurtured(String fields) {
		UUID lead = lead(fields);
		notQualified(lead);
		return lead;
	}

	private void notQualified(UUID lead) {
		this.driver.complete(lead, "Task_CallNewLead", outcome("meeting_booked"));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", false));
	}

	private void socialTouchDone(UUID lead) {
		this.driver.complete(lead, "Task_SocialTouch", Map.of("socialTouchDone", true));
	}

	/** Lets every cadence touch pass in silence, doing the social touches a rep would. */
	private void throughTheCadence(UUID lead) {
		String journey = journey(lead);
		for (int week = 0; week < 20 && !this.driver.passed(journey, "EndEvent_CadenceSilent"); week++) {
			while (this.driver.hasTask(lead, "Task_SocialTouch")) {
				socialTouchDone(lead);
			}
			this.driver.advance(lead, days(7));
			// and on into the afternoon, so touches held for the lead's daytime go in every zone
			this.driver.advance(lead, Duration.ofHours(8));
		}
		assertThat(this.driver.passed(journey, "EndEvent_CadenceSilent")).isTrue();
	}

	private String journey(UUID lead) {
		return this.driver.journey(lead, KEY);
	}

	private long timesPassed(String journey, String activityId) {
		return this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(journey)
			.activityId(activityId)
			.count();
	}

	/** The steps whose timers the journey waits on now. */
	private List<String> timersWaiting(String journey) {
		return this.management.createJobQuery()
			.processInstanceId(journey)
			.timers()
			.list()
			.stream()
			.map((job) -> this.management.createJobDefinitionQuery()
				.jobDefinitionId(job.getJobDefinitionId())
				.singleResult()
				.getActivityId())
			.toList();
	}

	/** A manager completes the escalation in Tasklist: the form's fields, through the engine's REST API. */
	private Api.Response completeAsManager(Task escalation, String action, String reassignTo) {
		String form = "{\"variables\":{\"escalationAction\":{\"value\":\"" + action
				+ "\"},\"escalationNotes\":{\"value\":\"\"},\"reassignTo\":{\"value\":\"" + reassignTo + "\"}}}";
		return this.api.send(this.api
			.request("/engine-rest/task/" + escalation.getId() + "/submit-form", "Authorization",
					Api.basic(member("managers"), People.PASSWORD))
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)));
	}

	/** Claims a task as Tasklist does for the user who clicks "Claim". */
	private Api.Response claimAs(String user, Task task) {
		return this.api.send(this.api
			.request("/engine-rest/task/" + task.getId() + "/claim", "Authorization", Api.basic(user, People.PASSWORD))
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + user + "\"}")));
	}

	/** A new user in the group; returns the user id. */
	private String member(String group) {
		return new People(this.identity).member(group);
	}

	private static Map<String, Object> outcome(String outcome) {
		Map<String, Object> form = new HashMap<>();
		form.put(LeadNurture.CALL_OUTCOME, outcome);
		form.put("callNotes", "");
		return form;
	}

	private void click(UUID lead) {
		String link = this.links.click(this.records.lastTouch(lead), lead, "https://nurtureflow.io/resources/checklist");
		assertThat(this.api.get(link.substring(link.indexOf("/t/c/")), "Authorization", "").status()).isEqualTo(302);
		this.driver.settle(lead);
	}

	private void unsubscribe(UUID lead) {
		String link = this.links.unsubscribe(this.records.lastTouch(lead), lead);
		assertThat(this.api.send(this.api.request(link.substring(link.indexOf("/t/u/")), "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))).status())
			.isEqualTo(200);
		this.driver.settle(lead);
	}

	private void reply(UUID lead) {
		reply(lead, "Tell+me+more");
	}

	private void reply(UUID lead, String text) {
		String email = this.jdbc.sql("select email from lead where id = ?").param(lead).query(String.class).single();
		var reply = this.api.send(this.api.request("/api/inbound/email")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("from=" + email + "&subject=Re&text=" + text)));
		assertThat(reply.status()).isEqualTo(200);
		this.driver.settle(lead);
	}

	/** An SMS reply, recorded the way Twilio's inbound webhook records it. */
	private void smsReply(UUID lead) {
		this.recorder.record(new Engagement(lead, null, EngagementType.SMS_REPLIED, "SMS", "call me tomorrow",
				this.driver.now(), null));
		this.driver.settle(lead);
	}

	/** An SMS STOP, as Twilio's inbound webhook handles it. */
	private void smsStop(UUID lead) {
		this.consent.set(lead, LeadConsent.ConsentChannel.SMS, false, "SMS STOP");
		this.recorder.record(new Engagement(lead, null, EngagementType.SMS_OPTED_OUT, "SMS", null, this.driver.now(),
				null));
		this.driver.settle(lead);
	}

	/** The lead's form submitted again, with its own email: a re-conversion. */
	private void submittedAgain(UUID lead) {
		String email = this.jdbc.sql("select email from lead where id = ?").param(lead).query(String.class).single();
		var again = this.api.postJson("/api/leads",
				"{\"email\":\"" + email + "\",\"firstName\":\"Ada\",\"consent\":{\"email\":true}}");
		assertThat(again.status()).as(again.body()).isEqualTo(200);
		this.driver.settle(lead);
	}

	private long untold(UUID lead) {
		return this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and journeys_told = false")
			.param(lead)
			.query(Long.class)
			.single();
	}

	private void push(UUID lead, String type, String detail) {
		var pushed = this.api.postJson("/api/leads/" + lead + "/engagements",
				"{\"type\":\"" + type + "\",\"detail\":\"" + detail + "\"}");
		assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
		this.driver.settle(lead);
	}

	private List<String> touches(UUID lead) {
		return this.jdbc.sql("""
				select channel || ' ' || content || ' ' || status from touch
				where lead_id = ? and content <> ? order by id""")
			.params(lead, LeadRecords.ELSEWHERE)
			.query(String.class)
			.list();
	}

}
