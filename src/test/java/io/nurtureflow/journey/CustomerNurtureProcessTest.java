package io.nurtureflow.journey;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.nurtureflow.engagement.Engagement;
import io.nurtureflow.engagement.EngagementRecorder;
import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.FlowNodeCoverage;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.tracking.TrackingLinks;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.task.IdentityLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static io.nurtureflow.journey.LeadNurture.NEEDS_FOLLOW_UP;
import static io.nurtureflow.support.JourneyDriver.days;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bpmn/customer-nurture.bpmn}, path by path: a lead converts through the API, and the
 * customer journey welcomes, onboards, checks in, keeps in touch every quarter, prepares the
 * renewal, surveys, and cleans the list. Time moves on the engine clock.
 */
@NurtureflowTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerNurtureProcessTest {

	private static final String KEY = LeadNurture.CUSTOMER_PROCESS_KEY;

	/** A Monday morning. */
	private static final Instant START = Instant.parse("2031-03-03T09:00:00Z");

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
	FormService forms;

	@Autowired
	RepositoryService repository;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TrackingLinks links;

	@Autowired
	EngagementRecorder recorder;

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
		JourneyDriver.startClockAt(START);
	}

	@AfterEach
	void realTime() {
		JourneyDriver.resetClock();
	}

	@AfterAll
	void everyPathIsCovered() {
		List<String> customerJourneys = this.driver.seen().stream().toList();
		var coverage = FlowNodeCoverage.of(KEY, customerJourneys, this.repository, this.history).report();
		assertThat(coverage.ratio()).as("flow-node coverage of %s, missed %s", KEY, coverage.missed())
			.isEqualTo(1.0);
	}

	@Test
	void theSameEventIdPushedForTwoLeadsIsAnEventOfEach() {
		UUID first = newLead();
		UUID second = newLead();
		String order = "order-" + UUID.randomUUID();

		assertThat(pushConversion(first, order).status()).isEqualTo(201);
		assertThat(pushConversion(second, order).status()).isEqualTo(201);
		assertThat(pushConversion(second, order).status()).isEqualTo(200);

		for (UUID lead : List.of(first, second)) {
			this.driver.settle(lead);
			assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
			assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'CONVERTED'")
				.param(lead)
				.query(Long.class)
				.single()).isOne();
		}
	}

	@Test
	void anEventIdUsedForAnotherEventOfTheLeadIsRefusedNotDroppedUnseen() {
		UUID lead = newLead();
		String id = "evt-" + UUID.randomUUID();
		assertThat(pushConversion(lead, id).status()).isEqualTo(201);

		var download = this.api.postJson("/api/leads/" + lead + "/engagements",
				"{\"type\":\"CONTENT_DOWNLOADED\",\"detail\":\"pricing\",\"eventId\":\"" + id + "\"}");

		assertThat(download.status()).as(download.body()).isEqualTo(422);
		assertThat(download.json().get("type").asText()).endsWith("/event-id-reused");
		assertThat(download.json().get("detail").asText()).contains("CONVERTED");
		assertThat(this.jdbc.sql("select type from engagement_event where lead_id = ?")
			.param(lead)
			.query(String.class)
			.list()).containsExactly("CONVERTED");
	}

	/**
	 * A replay meeting an event stored but never told (as from another node, before its check of
	 * the id) tells the journeys of the stored event, not of the replay.
	 */
	@Test
	void aReplayOfAnUntoldEventTellsTheJourneysWhatWasStored() {
		UUID lead = newLead();
		String key = "api:" + lead + ":order-1044";
		this.jdbc.sql("""
				insert into engagement_event (lead_id, type, detail, occurred_at, received_at, dedupe_key, journeys_told)
				values (?, 'CONVERTED', 'order 1044', current_timestamp, current_timestamp, ?, false)""")
			.params(lead, key)
			.update();

		boolean recorded = this.recorder.record(new Engagement(lead, null, EngagementType.SURVEY_ANSWERED, null,
				"9 of 10", START, key));

		assertThat(recorded).isFalse();
		this.driver.settle(lead);
		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
		assertThat(this.jdbc.sql("select journeys_told from engagement_event where dedupe_key = ?")
			.param(key)
			.query(Boolean.class)
			.single()).isTrue();
	}

	/**
	 * The conversion was stored, then telling the journeys failed (the database gone for a
	 * moment, the node killed) and the client was answered 503: it sends the same event again.
	 */
	@Test
	void aConversionStoredButNeverToldIsToldWhenTheClientSendsItAgain() {
		UUID lead = newLead();
		this.jdbc.sql("""
				insert into engagement_event (lead_id, type, detail, occurred_at, received_at, dedupe_key, journeys_told)
				values (?, 'CONVERTED', 'order 1043', current_timestamp, current_timestamp, ?, false)""")
			.params(lead, "api:" + lead + ":order-1043")
			.update();

		var again = pushConversion(lead, "order-1043");

		assertThat(again.status()).as(again.body()).isEqualTo(200);
		assertThat(again.json().get("recorded").asBoolean()).isFalse();
		this.driver.settle(lead);
		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
		assertThat(this.driver.passed(this.driver.journey(lead, LeadNurture.PROCESS_KEY), "EndEvent_ExitConverted"))
			.isTrue();

		// told now: a further repeat is a replay like any other
		assertThat(pushConversion(lead, "order-1043").status()).isEqualTo(200);
		this.driver.settle(lead);
		assertThat(this.history.createHistoricProcessInstanceQuery()
			.processInstanceBusinessKey(lead.toString())
			.processDefinitionKey(KEY)
			.count()).isOne();
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'CONVERTED'")
			.param(lead)
			.query(Long.class)
			.single()).isOne();
	}

	@Test
	void aConvertedLeadIsWelcomedOnboardedAndCheckedInByCustomerSuccess() {
		UUID lead = convertedCustomer();
		String customer = this.driver.journey(lead, KEY);

		assertThat(this.driver.ended(this.driver.journey(lead, LeadNurture.PROCESS_KEY))).isTrue();
		assertThat(this.driver.passed(this.driver.journey(lead, LeadNurture.PROCESS_KEY), "EndEvent_ExitConverted"))
			.isTrue();
		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
		assertThat(touches(lead)).containsExactly("acknowledgement:RECORDED", "welcome:RECORDED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_OnboardingGap");

		this.driver.advance(lead, days(7));
		assertThat(touches(lead)).endsWith("onboarding:RECORDED");

		this.driver.advance(lead, days(23));
		var checkIn = this.driver.task(lead, "Task_CheckIn");
		assertThat(this.tasks.getIdentityLinksForTask(checkIn.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("customer-success");
		assertThat(this.tasks.getVariableLocal(checkIn.getId(), "leadScore")).isNotNull();
		this.driver.complete(lead, "Task_CheckIn", Map.of("customerHealth", "healthy", "checkInNotes", "all good"));
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_Quarter");

		this.driver.advance(lead, days(91));
		assertThat(touches(lead)).endsWith("whats-new:RECORDED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_Quarter");
	}

	@Test
	void aCheckInMarkedForAFollowUpComesBackAWeekLaterAndUnmarkedGoesOnToTheQuarter() {
		UUID lead = customerAtCheckIn();
		String customer = this.driver.journey(lead, KEY);

		submitCheckIn(lead, "Task_CheckIn", Map.of("customerHealth", "at_risk", NEEDS_FOLLOW_UP, true));
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_CheckInFollowUp");

		this.driver.advance(lead, days(6));
		assertThat(this.driver.hasTask(lead, "Task_CheckIn")).isFalse();
		this.driver.advance(lead, days(1));
		var again = this.driver.task(lead, "Task_CheckIn");
		assertThat(this.tasks.getIdentityLinksForTask(again.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("customer-success");
		// what Tasklist fills the form with: the box starts unticked, not as the last check-in left it
		assertThat(this.tasks.getVariable(again.getId(), NEEDS_FOLLOW_UP)).isEqualTo(false);

		submitCheckIn(lead, "Task_CheckIn", Map.of("customerHealth", "healthy", NEEDS_FOLLOW_UP, false));
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_Quarter");
		assertThat(checkIns(customer, "Task_CheckIn")).isEqualTo(2);
	}

	/** Each check-in answers the box afresh: a stale tick from the last one does not bring it back. */
	@Test
	void aCheckInCompletedWithoutTheBoxAfterAMarkedOneDoesNotComeBackAgain() {
		UUID lead = customerAtCheckIn();
		String customer = this.driver.journey(lead, KEY);
		submitCheckIn(lead, "Task_CheckIn", Map.of("customerHealth", "at_risk", NEEDS_FOLLOW_UP, true));
		this.driver.advance(lead, days(7));

		// over the REST API, without the form's fields
		this.driver.complete(lead, "Task_CheckIn", Map.of("customerHealth", "healthy"));

		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_Quarter");
		assertThat(this.runtime.getVariable(customer, NEEDS_FOLLOW_UP)).isEqualTo(false);
		this.driver.advance(lead, days(14));
		assertThat(this.driver.hasTask(lead, "Task_CheckIn")).isFalse();
		assertThat(checkIns(customer, "Task_CheckIn")).isEqualTo(2);
	}

	@Test
	void touchesTheFrequencyCapHoldsBackWaitAndThenGo() {
		UUID lead = newLead();
		this.records.touchedElsewhere(lead, START.minus(Duration.ofHours(1)), 3);
		convert(lead);
		String customer = this.driver.journey(lead, KEY);

		assertThat(touches(lead)).endsWith("welcome:DEFERRED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_WelcomeDeferred");

		this.driver.advance(lead, days(7));
		assertThat(touches(lead)).endsWith("welcome:DEFERRED", "welcome:RECORDED");

		this.records.touchedElsewhere(lead, this.driver.now().plus(days(6)), 3);
		this.driver.advance(lead, days(7));
		assertThat(touches(lead)).endsWith("onboarding:DEFERRED");
		this.driver.advance(lead, days(7));
		assertThat(touches(lead)).endsWith("onboarding:DEFERRED", "onboarding:RECORDED");
	}

	@Test
	void aRenewalPreparationTheFrequencyCapHoldsBackGoesAWeekLaterAndThenTheCall() {
		UUID lead = newCustomerAtQuarter();
		String customer = customerBeforeRenewal(lead);
		// the quarter that brings the renewal falls in a week with three touches already
		this.records.touchedElsewhere(lead, this.driver.now().plus(days(90)), 3);

		this.driver.advance(lead, days(91));
		assertThat(touches(lead)).endsWith("renewal-prep:DEFERRED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_RenewalPrepDeferred");
		assertThat(this.driver.hasTask(lead, "Task_RenewalCall")).isFalse();

		this.driver.advance(lead, days(7));
		assertThat(touches(lead)).endsWith("renewal-prep:DEFERRED", "renewal-prep:RECORDED");
		assertThat(this.driver.passed(customer, "Timer_RenewalPrepDeferred")).isTrue();
		assertThat(this.driver.hasTask(lead, "Task_RenewalCall")).isTrue();
	}

	@Test
	void aSurveyThatWouldBeTheFourthTouchOfTheWeekWaitsAndThenGoes() {
		UUID lead = newCustomerAtQuarter();
		String customer = customerBeforeRenewal(lead);
		this.driver.advance(lead, days(91));
		// with the renewal preparation, three touches this week
		this.records.touchedElsewhere(lead, this.driver.now().minus(Duration.ofHours(1)), 2);

		this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "renewing"));
		assertThat(touches(lead)).endsWith("renewal-prep:RECORDED", "satisfaction-survey:DEFERRED");
		waitsAWeekThenMakes(lead, customer, "satisfaction-survey", "Timer_SurveyDeferred");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Gateway_WaitForSurvey");
	}

	@Test
	void aReferralAskThatWouldBeTheFourthTouchOfTheWeekWaitsAndThenGoes() {
		UUID lead = customerAtSurvey();
		String customer = this.driver.journey(lead, KEY);
		// with the renewal preparation and the survey, three touches this week
		this.records.touchedElsewhere(lead, this.driver.now().minus(Duration.ofHours(1)), 1);

		answerSurvey(lead, "10");
		assertThat(touches(lead)).endsWith("satisfaction-survey:RECORDED", "referral-ask:DEFERRED");
		waitsAWeekThenMakes(lead, customer, "referral-ask", "Timer_ReferralAskDeferred");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_Quarter");
	}

	@Test
	void aReEngagementQuestionThatWouldBeTheFourthTouchOfTheWeekWaitsAndThenIsAsked() {
		UUID lead = newCustomerAtQuarter();
		String customer = this.driver.journey(lead, KEY);
		this.driver.advance(lead, days(91));
		// the second quarter, half a year of silence, falls in a week with two touches already
		this.records.touchedElsewhere(lead, this.driver.now().plus(days(90)), 2);

		this.driver.advance(lead, days(91));
		assertThat(touches(lead)).endsWith("whats-new:RECORDED", "re-permission:DEFERRED");
		waitsAWeekThenMakes(lead, customer, "re-permission", "Timer_RepermissionDeferred");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Gateway_WaitRepermission");
	}

	/**
	 * With the default timings the quarters after a prompt check-in fall on days 121, 212, 303 and
	 * 394 of the contract: the last but one just before the renewal preparation's 60 days, the
	 * last a month after the renewal date. The quarter's wait ends early for the preparation.
	 */
	@Test
	void theRenewalIsPreparedAndCalledBeforeTheRenewalDateWhenTheQuartersWouldStepOverItsWindow() {
		UUID lead = newCustomerAtQuarter();
		String customer = this.driver.journey(lead, KEY);
		Instant renewal = ((Date) this.runtime.getVariable(customer, LeadNurture.RENEWAL_DATE)).toInstant();
		Instant preparation = renewal.minus(days(60));
		while (this.driver.now().plus(days(91)).isBefore(preparation)) {
			// a customer who reads the what's-new emails, so no re-permission question ends the journey
			this.recorder.record(new Engagement(lead, null, EngagementType.OPENED, "email", null, this.driver.now(),
					"opened-" + this.driver.now()));
			this.driver.advance(lead, days(91));
		}
		assertThat(this.driver.hasTask(lead, "Task_RenewalCall")).isFalse();

		this.driver.advance(lead, Duration.between(this.driver.now(), preparation));

		assertThat(touches(lead)).endsWith("renewal-prep:RECORDED");
		assertThat(this.driver.hasTask(lead, "Task_RenewalCall")).isTrue();
		assertThat(this.driver.now()).isBefore(renewal);
	}

	/** A check-in left open past the start of the renewal preparation does not hold the renewal a quarter. */
	@Test
	void aCheckInCompletedAfterTheRenewalPreparationStartedGoesStraightToTheRenewal() {
		UUID lead = customerAtCheckIn();
		String customer = this.driver.journey(lead, KEY);
		Date renewal = Date.from(this.driver.now().plus(days(45)));
		this.runtime.setVariable(customer, LeadNurture.RENEWAL_DATE, renewal);

		this.driver.complete(lead, "Task_CheckIn", Map.of("customerHealth", "healthy"));

		assertThat(touches(lead)).endsWith("renewal-prep:RECORDED");
		assertThat(this.driver.hasTask(lead, "Task_RenewalCall")).isTrue();
	}

	@Test
	void theRenewalIsPreparedCalledAndAPromoterIsAskedForAReferral() {
		String customer = customerBeforeRenewal(newCustomerAtQuarter());
		UUID lead = leadOf(customer);
		Date before = (Date) this.runtime.getVariable(customer, LeadNurture.RENEWAL_DATE);

		this.driver.advance(lead, days(91));

		assertThat(touches(lead)).endsWith("renewal-prep:RECORDED");
		var call = this.driver.task(lead, "Task_RenewalCall");
		assertThat(this.tasks.getIdentityLinksForTask(call.getId())).extracting(IdentityLink::getGroupId)
			.containsExactly("customer-success");
		this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "renewing", "expectedSeats", 40));

		Date after = (Date) this.runtime.getVariable(customer, LeadNurture.RENEWAL_DATE);
		assertThat(after).isAfter(before);
		assertThat(touches(lead)).endsWith("satisfaction-survey:RECORDED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Gateway_WaitForSurvey");

		answerSurvey(lead, "9 - love it");

		assertThat(touches(lead)).endsWith("referral-ask:RECORDED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_Quarter");
	}

	/** Its stage says so too: the reports count a customer who left as churned, no longer as a customer. */
	@Test
	void aCustomerWhoIsNotRenewingLeavesTheJourneyChurnedWithoutASurveyOrAnotherTouch() {
		String customer = customerBeforeRenewal(newCustomerAtQuarter());
		UUID lead = leadOf(customer);
		this.driver.advance(lead, days(91));

		this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "not_renewing"));

		assertThat(this.driver.passed(customer, "EndEvent_NotRenewing")).isTrue();
		assertThat(this.driver.ended(customer)).isTrue();
		assertThat(this.driver.passed(customer, "Task_MoveRenewalDate")).isFalse();
		assertThat(this.history.createHistoricVariableInstanceQuery()
			.processInstanceId(customer)
			.variableName("renewalOutcome")
			.singleResult()
			.getValue()).isEqualTo("not_renewing");
		assertThat(this.records.stage(lead)).isEqualTo("CHURNED");
		assertThat(churnedAt(lead)).isEqualTo(this.driver.now());
		assertThat(this.driver.passed(customer, "Task_MarkChurned")).isTrue();
		List<String> touched = touches(lead);
		assertThat(touched).endsWith("renewal-prep:RECORDED").noneMatch((touch) -> touch.startsWith("satisfaction-survey"));

		// a year on: no quarter, no survey, no renewal, nobody asked to call
		this.driver.advance(lead, days(365));
		assertThat(touches(lead)).isEqualTo(touched);
		assertThat(this.tasks.createTaskQuery().processInstanceBusinessKey(lead.toString()).count()).isZero();
		assertThat(this.management.createJobQuery().processInstanceId(customer).count()).isZero();
		assertThat(this.driver.journeys(lead)).hasSize(2);
	}

	@Test
	void aChurnedCustomerWhoSignsAgainIsACustomerAgainWithANewJourney() {
		String churned = customerBeforeRenewal(newCustomerAtQuarter());
		UUID lead = leadOf(churned);
		this.driver.advance(lead, days(91));
		this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "not_renewing"));
		assertThat(this.records.stage(lead)).isEqualTo("CHURNED");

		convert(lead);

		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
		String again = this.driver.journey(lead, KEY);
		assertThat(again).isNotEqualTo(churned);
		assertThat(this.driver.waitingAt(again)).containsExactly("Timer_OnboardingGap");
	}

	/**
	 * A journey lasts a contract term: one started on a version drawn before Mark churned ends at
	 * Not renewing without the step, and leaves its lead churned all the same.
	 */
	@Test
	void aCustomerNotRenewingOnAJourneyDrawnBeforeMarkChurnedIsChurnedAllTheSame() {
		String earlier = deploy("customer-nurture before Mark churned",
				"earlier-diagrams/customer-nurture-before-mark-churned.bpmn");
		String current = null;
		try {
			String customer = customerBeforeRenewal(newCustomerAtQuarter());
			UUID lead = leadOf(customer);
			current = deploy("customer-nurture", "bpmn/customer-nurture.bpmn");
			assertThat(definitionOf(customer).getDeploymentId()).isEqualTo(earlier);
			assertThat(definitionOf(customer).getVersion()).as("an older version than the latest")
				.isLessThan(this.repository.createProcessDefinitionQuery()
					.processDefinitionKey(KEY)
					.latestVersion()
					.singleResult()
					.getVersion());
			this.driver.advance(lead, days(91));

			this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "not_renewing"));

			assertThat(this.driver.passed(customer, "EndEvent_NotRenewing")).isTrue();
			assertThat(this.driver.passed(customer, "Task_MarkChurned")).isFalse();
			assertThat(this.records.stage(lead)).isEqualTo("CHURNED");
			assertThat(churnedAt(lead)).isEqualTo(this.driver.now());
		}
		finally {
			this.repository.deleteDeployment(earlier, true);
			if (current != null) {
				this.repository.deleteDeployment(current, true);
			}
		}
	}

	/** Customers who said "not renewing" before this release: the upgrade marks them (db/migration/V23). */
	@Test
	void customersWhoLeftBeforeChurnedWasKeptAreMarkedChurnedByTheUpgrade() {
		UUID left = notRenewing(newCustomerAtQuarter());
		UUID signedAgain = notRenewing(newCustomerAtQuarter());
		convert(signedAgain);
		UUID staying = newCustomerAtQuarter();
		// as stored before this release: a customer who left stayed a customer
		this.jdbc.sql("update lead set stage = 'CUSTOMER' where id = ?").param(left).update();

		new ResourceDatabasePopulator(new ClassPathResource("db/migration/V23__churned_customers_backfill.sql"))
			.execute(this.dataSource);

		assertThat(this.records.stage(left)).isEqualTo("CHURNED");
		assertThat(this.records.stage(signedAgain)).as("its latest journey runs").isEqualTo("CUSTOMER");
		assertThat(this.records.stage(staying)).isEqualTo("CUSTOMER");
	}

	/**
	 * Customers who left before the lead kept when: the upgrade takes it from the end of the journey
	 * they left (db/migration/V25).
	 */
	@Test
	void customersWhoLeftBeforeTheTimeWasKeptGetTheEndOfTheirJourneyByTheUpgrade() {
		UUID left = notRenewing(newCustomerAtQuarter());
		Instant ended = this.driver.now();
		this.driver.advance(left, days(30));
		UUID staying = newCustomerAtQuarter();
		// as stored before this release: no column for it
		this.jdbc.sql("alter table lead drop column churned_at").update();

		new ResourceDatabasePopulator(new ClassPathResource("db/migration/V25__lead_churned_at.sql"))
			.execute(this.dataSource);

		assertThat(churnedAt(left)).isEqualTo(ended);
		assertThat(churnedAt(staying)).isNull();
	}

	/** Tasklist's form asks for the outcome; a call completed over the REST API may not give it. */
	@Test
	void aRenewalCallCompletedWithoutAnOutcomeGoesOnAsBefore() {
		String customer = customerBeforeRenewal(newCustomerAtQuarter());
		UUID lead = leadOf(customer);
		this.driver.advance(lead, days(91));

		this.driver.complete(lead, "Task_RenewalCall", Map.of());

		assertThat(touches(lead)).endsWith("renewal-prep:RECORDED", "satisfaction-survey:RECORDED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Gateway_WaitForSurvey");
	}

	@Test
	void aRenewalAtRiskStillMovesTheRenewalDateAndSendsTheSurvey() {
		String customer = customerBeforeRenewal(newCustomerAtQuarter());
		UUID lead = leadOf(customer);
		Date before = (Date) this.runtime.getVariable(customer, LeadNurture.RENEWAL_DATE);
		this.driver.advance(lead, days(91));

		this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "at_risk"));

		assertThat(this.driver.passed(customer, "Gateway_RenewalOutcome")).isTrue();
		assertThat((Date) this.runtime.getVariable(customer, LeadNurture.RENEWAL_DATE)).isAfter(before);
		assertThat(touches(lead)).endsWith("renewal-prep:RECORDED", "satisfaction-survey:RECORDED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Gateway_WaitForSurvey");
	}

	@Test
	void aDetractorGetsCustomerSuccessOnThePhone() {
		UUID lead = customerAtSurvey();

		answerSurvey(lead, "3");

		assertThat(this.driver.hasTask(lead, "Task_DetractorFollowUp")).isTrue();
		this.driver.complete(lead, "Task_DetractorFollowUp", Map.of("customerHealth", "at_risk"));
		assertThat(this.driver.waitingAt(this.driver.journey(lead, KEY))).containsExactly("Timer_Quarter");
	}

	@Test
	void aDetractorMarkedForAFollowUpIsFollowedUpAgainAWeekLaterUntilNoLongerMarked() {
		UUID lead = customerAtSurvey();
		String customer = this.driver.journey(lead, KEY);
		answerSurvey(lead, "2");

		submitCheckIn(lead, "Task_DetractorFollowUp", Map.of("customerHealth", "churning", NEEDS_FOLLOW_UP, true));
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_DetractorFollowUp");
		this.driver.advance(lead, days(6));
		assertThat(this.driver.hasTask(lead, "Task_DetractorFollowUp")).isFalse();
		this.driver.advance(lead, days(1));
		assertThat(this.driver.hasTask(lead, "Task_DetractorFollowUp")).isTrue();

		// the second time over the REST API, without the box: the first tick does not count again
		this.driver.complete(lead, "Task_DetractorFollowUp", Map.of("customerHealth", "at_risk"));
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_Quarter");
		assertThat(checkIns(customer, "Task_DetractorFollowUp")).isEqualTo(2);
	}

	@Test
	void aPassiveAnswerOrNoAnswerJustCarriesOn() {
		UUID passive = customerAtSurvey();
		answerSurvey(passive, "7");
		assertThat(this.driver.hasTask(passive, "Task_DetractorFollowUp")).isFalse();
		assertThat(touches(passive)).doesNotContain("referral-ask:RECORDED");
		assertThat(this.driver.waitingAt(this.driver.journey(passive, KEY))).containsExactly("Timer_Quarter");

		UUID silent = customerAtSurvey();
		this.driver.advance(silent, days(14));
		String journey = this.driver.journey(silent, KEY);
		assertThat(this.driver.passed(journey, "Timer_SurveyWait")).isTrue();
		assertThat(this.driver.waitingAt(journey)).containsExactly("Timer_Quarter");
	}

	@Test
	void aSilentCustomerIsAskedAndWithoutAnAnswerUnsubscribed() {
		UUID lead = newCustomerAtQuarter();
		String customer = this.driver.journey(lead, KEY);
		this.driver.advance(lead, days(91));
		// the second quarter falls in a week that already had three touches
		this.records.touchedElsewhere(lead, this.driver.now().plus(days(90)), 3);

		this.driver.advance(lead, days(91));
		assertThat(touches(lead)).endsWith("whats-new:DEFERRED");
		this.driver.advance(lead, days(7));

		assertThat(touches(lead)).endsWith("whats-new:RECORDED", "re-permission:RECORDED");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Gateway_WaitRepermission");
		this.driver.advance(lead, days(14));
		assertThat(this.driver.passed(customer, "EndEvent_Unsubscribed")).isTrue();
		assertThat(this.records.consent(lead)).containsExactly(false, false);
		assertThat(this.records.stage(lead)).isEqualTo("UNSUBSCRIBED");
	}

	@Test
	void aCustomerWhoAnswersTheQuestionStays() {
		UUID clicker = newCustomerAtQuarter();
		this.driver.advance(clicker, days(182));
		click(clicker);
		String journey = this.driver.journey(clicker, KEY);
		assertThat(this.driver.passed(journey, "Event_RepermissionClicked")).isTrue();
		assertThat(this.driver.waitingAt(journey)).containsExactly("Timer_Quarter");
		assertThat(this.records.consent(clicker)).containsExactly(true, false);

		UUID replier = newCustomerAtQuarter();
		this.driver.advance(replier, days(182));
		reply(replier);
		assertThat(this.driver.passed(this.driver.journey(replier, KEY), "Event_RepermissionReplied")).isTrue();
	}

	@Test
	void theJourneyEndsWhenTheCustomerUnsubscribesEverywhereOrIsDeleted() {
		UUID unsubscribed = newCustomerAtQuarter();
		String journey = this.driver.journey(unsubscribed, KEY);
		unsubscribeLink(unsubscribed);
		assertThat(this.records.consent(unsubscribed)).containsExactly(false, false);
		assertThat(this.driver.passed(journey, "EndEvent_ExitUnsubscribed")).isTrue();
		assertThat(this.driver.ended(journey)).isTrue();

		UUID deleted = newCustomerAtQuarter();
		String deletedJourney = this.driver.journey(deleted, KEY);
		assertThat(this.api.send(this.api.request("/api/leads/" + deleted).DELETE()).status()).isEqualTo(204);
		assertThat(this.driver.passed(deletedJourney, "EndEvent_ExitDeleted")).isTrue();
		assertThat(this.api.get("/api/leads/" + deleted).status()).isEqualTo(404);
	}

	/**
	 * Disqualifying is sales' verdict on a lead; a customer is past it. The refusal says what to do
	 * instead, and the customer's journey goes on as if nothing was asked.
	 */
	@Test
	void disqualifyingACustomerIsRefusedAndTheCustomerJourneyGoesOn() {
		UUID lead = convertedCustomer();
		String customer = this.driver.journey(lead, KEY);

		var answer = this.api.send(this.api.request("/api/leads/" + lead + "/disqualify?reason=competitor")
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

		assertThat(answer.status()).as(answer.body()).isEqualTo(409);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.json().get("type").asText()).endsWith("/lead-is-customer");
		assertThat(answer.json().get("detail").asText()).contains("is a customer",
				"POST /api/leads/" + lead + "/churn", "/api/suppressions", "DELETE /api/leads/" + lead);
		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");
		assertThat(this.driver.waitingAt(customer)).containsExactly("Timer_OnboardingGap");
		this.driver.advance(lead, days(7));
		this.driver.advance(lead, days(23));
		assertThat(touches(lead)).endsWith("onboarding:RECORDED");
		assertThat(this.driver.hasTask(lead, "Task_CheckIn")).isTrue();
	}

	/**
	 * A customer who cancels mid-contract, recorded by customer success or the CRM: the journey
	 * ends through its own exit, so Cockpit and its history say why, and nothing more goes out.
	 */
	@Test
	void aCustomerWhoLeavesMidContractIsChurnedAndTheJourneyEndsThroughItsChurnedExit() {
		UUID lead = customerAtCheckIn();
		String customer = this.driver.journey(lead, KEY);
		Instant recorded = this.driver.now();

		var answer = churn(lead, "moved to a competitor");

		assertThat(answer.status()).as(answer.body()).isEqualTo(204);
		assertThat(this.driver.passed(customer, "StartEvent_CustomerChurned")).isTrue();
		assertThat(this.driver.passed(customer, "Task_MarkChurnedMidContract")).isTrue();
		assertThat(this.driver.passed(customer, "EndEvent_ExitChurned")).isTrue();
		assertThat(this.driver.ended(customer)).isTrue();
		assertThat(exitReason(customer)).isEqualTo("moved to a competitor");
		assertThat(this.records.stage(lead)).isEqualTo("CHURNED");
		assertThat(churnedAt(lead)).isEqualTo(recorded);
		var view = this.api.get("/api/leads/" + lead).json();
		assertThat(view.get("stage").asText()).isEqualTo("CHURNED");
		assertThat(Instant.parse(view.get("churnedAt").asText())).isEqualTo(recorded);
		assertThat(view.get("activeJourneys")).isEmpty();
		assertThat(this.driver.hasTask(lead, "Task_CheckIn")).isFalse();

		// a year on: no check-in, no quarter, no renewal
		List<String> touched = touches(lead);
		this.driver.advance(lead, days(365));
		assertThat(touches(lead)).isEqualTo(touched);
		assertThat(this.management.createJobQuery().processInstanceId(customer).count()).isZero();
	}

	/** A CRM that sends the churn again, or after the renewal call recorded it, is told all is well. */
	@Test
	void recordingAChurnAgainIsNoErrorAndChangesNothing() {
		UUID lead = convertedCustomer();
		String customer = this.driver.journey(lead, KEY);
		assertThat(churn(lead, "budget cut").status()).isEqualTo(204);
		Instant first = churnedAt(lead);
		this.driver.advance(lead, days(3));

		var again = churn(lead, "told us again");

		assertThat(again.status()).as(again.body()).isEqualTo(204);
		assertThat(this.records.stage(lead)).isEqualTo("CHURNED");
		assertThat(churnedAt(lead)).isEqualTo(first);
		assertThat(exitReason(customer)).isEqualTo("budget cut");
		assertThat(this.driver.journeys(lead)).hasSize(2);

		UUID notRenewing = notRenewing(newCustomerAtQuarter());
		Instant toldTheCall = churnedAt(notRenewing);
		this.driver.advance(notRenewing, days(1));
		assertThat(churn(notRenewing, "cancelled in the CRM").status()).isEqualTo(204);
		assertThat(churnedAt(notRenewing)).isEqualTo(toldTheCall);
	}

	/** Churn is a customer's: a lead that never bought is refused and its journey goes on. */
	@Test
	void aLeadThatIsNoCustomerCannotChurnAndAnUnknownOneIsNotFound() {
		UUID lead = newLead();
		String nurture = this.driver.journey(lead, LeadNurture.PROCESS_KEY);
		List<String> waiting = this.driver.waitingAt(nurture);

		var answer = churn(lead, "never bought");

		assertThat(answer.status()).as(answer.body()).isEqualTo(409);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.json().get("type").asText()).endsWith("/lead-not-customer");
		assertThat(answer.json().get("detail").asText()).contains("stage NEW", "/api/leads/" + lead + "/disqualify");
		assertThat(this.records.stage(lead)).isEqualTo("NEW");
		assertThat(churnedAt(lead)).isNull();
		assertThat(this.driver.waitingAt(nurture)).isEqualTo(waiting);

		assertThat(churn(UUID.randomUUID(), "who?").status()).isEqualTo(404);
		var controlCharacter = churn(convertedCustomer(), "cancelled\nby phone");
		assertThat(controlCharacter.status()).as(controlCharacter.body()).isEqualTo(400);
		assertThat(controlCharacter.json().get("errors").get(0).get("field").asText()).isEqualTo("reason");
	}

	/** Unsubscribing through a link ends the journey but leaves a customer: it can still leave. */
	@Test
	void aCustomerWhoseJourneyEndedAlreadyIsChurnedAllTheSame() {
		UUID lead = convertedCustomer();
		unsubscribeLink(lead);
		assertThat(this.driver.ended(this.driver.journey(lead, KEY))).isTrue();
		assertThat(this.records.stage(lead)).isEqualTo("CUSTOMER");

		assertThat(churn(lead, "cancelled by letter").status()).isEqualTo(204);

		assertThat(this.records.stage(lead)).isEqualTo("CHURNED");
		assertThat(churnedAt(lead)).isEqualTo(this.driver.now());
	}

	/** A send that failed and waits for its next try is settled as when any journey ends. */
	@Test
	void aTouchWaitingForItsNextTryIsSkippedWhenTheCustomerChurns() {
		UUID lead = convertedCustomer();
		String customer = this.driver.journey(lead, KEY);
		// what a welcome whose send failed once leaves in the ledger
		this.jdbc.sql("""
				insert into touch (idempotency_key, lead_id, process_instance_id, activity_id, journey, channel, content,
				                   status, attempts, created_at, updated_at)
				values (?, ?, ?, 'Task_SendWelcome', 'customer-nurture', 'EMAIL', 'welcome', 'PENDING', 1,
				        current_timestamp, current_timestamp)""")
			.params(customer + ":Task_SendWelcome:2", lead, customer)
			.update();

		assertThat(churn(lead, "closed the account").status()).isEqualTo(204);

		assertThat(this.jdbc.sql("select status, reason from touch where process_instance_id = ? and status <> 'RECORDED'")
			.param(customer)
			.query()
			.singleRow()).containsEntry("STATUS", "SKIPPED").containsEntry("REASON", "the journey ended before its next try");
	}

	/**
	 * A journey lasts a contract term: one started on a version drawn before the churned exit has
	 * no event to end it by. It is cancelled instead, with the reason in its history.
	 */
	@Test
	void aCustomerOnAJourneyDrawnBeforeTheChurnedExitIsChurnedAndTheJourneyCancelledWithTheReason() {
		String earlier = deploy("customer-nurture before the churned exit",
				"earlier-diagrams/customer-nurture-before-mark-churned.bpmn");
		String current = null;
		try {
			UUID lead = customerAtCheckIn();
			String customer = this.driver.journey(lead, KEY);
			current = deploy("customer-nurture", "bpmn/customer-nurture.bpmn");
			assertThat(definitionOf(customer).getDeploymentId()).isEqualTo(earlier);

			var answer = churn(lead, "cancelled in the CRM");

			assertThat(answer.status()).as(answer.body()).isEqualTo(204);
			assertThat(this.driver.ended(customer)).isTrue();
			assertThat(this.history.createHistoricProcessInstanceQuery()
				.processInstanceId(customer)
				.singleResult()
				.getDeleteReason()).isEqualTo("churned: cancelled in the CRM");
			assertThat(this.records.stage(lead)).isEqualTo("CHURNED");
			assertThat(churnedAt(lead)).isEqualTo(this.driver.now());
			assertThat(this.driver.hasTask(lead, "Task_CheckIn")).isFalse();
		}
		finally {
			this.repository.deleteDeployment(earlier, true);
			if (current != null) {
				this.repository.deleteDeployment(current, true);
			}
		}
	}

	/** A touch the contact policy deferred: its journey waits at the deferral timer, and a week later it is made. */
	private void waitsAWeekThenMakes(UUID lead, String customer, String content, String timer) {
		assertThat(this.driver.waitingAt(customer)).containsExactly(timer);
		this.driver.advance(lead, days(7));
		assertThat(touches(lead)).endsWith(content + ":DEFERRED", content + ":RECORDED");
		assertThat(this.driver.passed(customer, timer)).isTrue();
	}

	private UUID newLead() {
		String id = this.api.postJson("/api/leads",
				"{\"email\":\"customer-" + UUID.randomUUID() + "@example.com\",\"firstName\":\"Grace\","
						+ "\"company\":\"Compilers Ltd\",\"consent\":{\"email\":true}}")
			.json()
			.get("id")
			.asText();
		UUID lead = UUID.fromString(id);
		this.driver.settle(lead);
		return lead;
	}

	private Api.Response pushConversion(UUID lead, String eventId) {
		return this.api.postJson("/api/leads/" + lead + "/engagements",
				"{\"type\":\"CONVERTED\",\"detail\":\"order\",\"eventId\":\"" + eventId + "\"}");
	}

	private void convert(UUID lead) {
		var answer = this.api.postJson("/api/leads/" + lead + "/engagements",
				"{\"type\":\"CONVERTED\",\"detail\":\"order 1042\"}");
		assertThat(answer.status()).as(answer.body()).isEqualTo(201);
		this.driver.settle(lead);
	}

	private UUID convertedCustomer() {
		UUID lead = newLead();
		convert(lead);
		return lead;
	}

	/** A customer past onboarding, with the 30-day check-in open. */
	private UUID customerAtCheckIn() {
		UUID lead = convertedCustomer();
		this.driver.advance(lead, days(7));
		this.driver.advance(lead, days(23));
		return lead;
	}

	/** A customer past onboarding and the check-in, waiting for the next quarter. */
	private UUID newCustomerAtQuarter() {
		UUID lead = customerAtCheckIn();
		this.driver.complete(lead, "Task_CheckIn", Map.of("customerHealth", "healthy"));
		return lead;
	}

	/** Submits the check-in form as Tasklist does, then lets the journeys go on. */
	private void submitCheckIn(UUID lead, String taskKey, Map<String, Object> form) {
		this.forms.submitTaskForm(this.driver.task(lead, taskKey).getId(), form);
		this.driver.settle(lead);
	}

	private long checkIns(String customer, String taskKey) {
		return this.history.createHistoricTaskInstanceQuery()
			.processInstanceId(customer)
			.taskDefinitionKey(taskKey)
			.count();
	}

	/** Given a renewal date that the next quarter brings within the preparation window. */
	private String customerBeforeRenewal(UUID lead) {
		String customer = this.driver.journey(lead, KEY);
		this.runtime.setVariable(customer, LeadNurture.RENEWAL_DATE, Date.from(this.driver.now().plus(days(120))));
		return customer;
	}

	/** The customer tells the renewal call it is not renewing. */
	private UUID notRenewing(UUID lead) {
		customerBeforeRenewal(lead);
		this.driver.advance(lead, days(91));
		this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "not_renewing"));
		return lead;
	}

	/** Deploys a diagram from the class path, as a release does; returns the deployment's id. */
	private String deploy(String name, String resource) {
		return this.repository.createDeployment()
			.name(name)
			.addInputStream("customer-nurture.bpmn", getClass().getClassLoader().getResourceAsStream(resource))
			.deploy()
			.getId();
	}

	private ProcessDefinition definitionOf(String journey) {
		String id = this.history.createHistoricProcessInstanceQuery()
			.processInstanceId(journey)
			.singleResult()
			.getProcessDefinitionId();
		return this.repository.getProcessDefinition(id);
	}

	/** Customer success or the CRM records that the customer left. */
	private Api.Response churn(UUID lead, String reason) {
		return this.api.send(this.api.request("/api/leads/" + lead + "/churn?reason="
				+ java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8))
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
	}

	private Object exitReason(String journey) {
		return this.history.createHistoricVariableInstanceQuery()
			.processInstanceId(journey)
			.variableName(LeadNurture.EXIT_REASON)
			.singleResult()
			.getValue();
	}

	/** When the lead last churned, as stored. */
	private Instant churnedAt(UUID lead) {
		return this.jdbc.sql("select churned_at from lead where id = ?")
			.param(lead)
			.query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
			.single()
			.orElse(null);
	}

	private UUID customerAtSurvey() {
		UUID lead = newCustomerAtQuarter();
		customerBeforeRenewal(lead);
		this.driver.advance(lead, days(91));
		this.driver.complete(lead, "Task_RenewalCall", Map.of("renewalOutcome", "negotiating"));
		return lead;
	}

	private void answerSurvey(UUID lead, String answer) {
		var pushed = this.api.postJson("/api/leads/" + lead + "/engagements",
				"{\"type\":\"SURVEY_ANSWERED\",\"detail\":\"" + answer + "\"}");
		assertThat(pushed.status()).isEqualTo(201);
		this.driver.settle(lead);
	}

	/** The lead clicks a link in its last email, as a mail client would open it. */
	private void click(UUID lead) {
		long touch = this.records.lastTouch(lead);
		String link = this.links.click(touch, lead, "https://nurtureflow.io/stay-subscribed");
		assertThat(this.api.get(link.substring(link.indexOf("/t/c/")), "Authorization", "").status()).isEqualTo(302);
		this.driver.settle(lead);
	}

	private void reply(UUID lead) {
		String email = this.jdbc.sql("select email from lead where id = ?").param(lead).query(String.class).single();
		var reply = this.api.send(this.api.request("/api/inbound/email")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers
				.ofString("from=" + email + "&subject=Re%3A+still+there&text=Yes+please")));
		assertThat(reply.status()).isEqualTo(200);
		this.driver.settle(lead);
	}

	private void unsubscribeLink(UUID lead) {
		String link = this.links.unsubscribe(this.records.lastTouch(lead), lead);
		assertThat(this.api.send(this.api.request(link.substring(link.indexOf("/t/u/")), "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))).status())
			.isEqualTo(200);
		this.driver.settle(lead);
	}

	private List<String> touches(UUID lead) {
		return this.jdbc.sql("""
				select content || ':' || status from touch
				where lead_id = ? and channel = 'EMAIL' and content <> ? order by id""")
			.params(lead, LeadRecords.ELSEWHERE)
			.query(String.class)
			.list();
	}

	private UUID leadOf(String customerJourney) {
		return UUID.fromString(this.runtime.createProcessInstanceQuery()
			.processInstanceId(customerJourney)
			.singleResult()
			.getBusinessKey());
	}

}
