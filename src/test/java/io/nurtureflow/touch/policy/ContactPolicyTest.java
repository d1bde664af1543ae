package io.nurtureflow.touch.policy;

import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;
import io.nurtureflow.touch.TouchStatus;
import io.nurtureflow.touch.policy.PolicyDecision.Verdict;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The contact policy against the real ledger, and a deferred touch going through the journey. */
@NurtureflowTest
class ContactPolicyTest {

	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	/** A Tuesday, 10:30 in New York. */
	private static final Instant TUESDAY_MORNING = LocalDateTime.parse("2026-11-24T10:30").atZone(NEW_YORK).toInstant();

	@LocalServerPort
	int port;

	@Autowired
	ContactPolicy policy;

	@Autowired
	TouchDispatcher dispatcher;

	@Autowired
	LeadRepository leads;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@AfterEach
	void realTime() {
		ClockUtil.reset();
	}

	@Test
	void theFourthTouchInAWeekWaitsUntilTheOldestLeavesTheWindow() {
		Lead lead = lead("\"consent\":{\"email\":true}");
		touchedAt(lead, TUESDAY_MORNING.minus(Duration.ofDays(6)), "RECORDED");
		touchedAt(lead, TUESDAY_MORNING.minus(Duration.ofDays(2)), "SENT");
		touchedAt(lead, TUESDAY_MORNING.minus(Duration.ofDays(3)), "SKIPPED");

		assertThat(this.policy.decide(lead, Channel.EMAIL, TUESDAY_MORNING).verdict()).isEqualTo(Verdict.SEND);

		touchedAt(lead, TUESDAY_MORNING.minus(Duration.ofHours(1)), "DELIVERED");
		PolicyDecision fourth = this.policy.decide(lead, Channel.EMAIL, TUESDAY_MORNING);

		assertThat(fourth.verdict()).isEqualTo(Verdict.DEFER);
		assertThat(fourth.reason()).isEqualTo("frequency cap");
		assertThat(fourth.until()).isEqualTo(TUESDAY_MORNING.plus(Duration.ofDays(1)));
		assertThat(this.policy.decide(lead, Channel.EMAIL, fourth.until()).verdict()).isEqualTo(Verdict.SEND);
	}

	@Test
	void touchesDecidedAtTheSameMomentStayWithinTheCap() throws Exception {
		Lead lead = lead("\"consent\":{\"email\":true}");
		new LeadRecords(this.jdbc).touchedElsewhere(lead.id(), Instant.now().minus(Duration.ofDays(2)), 2);

		List<TouchStatus> made = AtOnce.touches(this.dispatcher, lead.id(), Channel.EMAIL, 4);

		assertThat(made).containsOnlyOnce(TouchStatus.RECORDED).containsOnly(TouchStatus.RECORDED, TouchStatus.DEFERRED);
		assertThat(this.jdbc.sql("select count(*) from touch where lead_id = ? and status = 'DEFERRED' and reason = ?")
			.params(lead.id(), "frequency cap")
			.query(Integer.class)
			.single()).isEqualTo(3);
	}

	@Test
	void smsLateAtNightInTheLeadsZoneWaitsForTheMorning() {
		Lead lead = lead("\"phone\":\"+1 415 555 2673\",\"timeZone\":\"America/New_York\",\"consent\":{\"sms\":true}");
		Instant lateTuesday = LocalDateTime.parse("2026-11-24T22:30").atZone(NEW_YORK).toInstant();

		PolicyDecision decision = this.policy.decide(lead, Channel.SMS, lateTuesday);

		assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
		assertThat(decision.reason()).isEqualTo("quiet hours");
		assertThat(decision.until()).isEqualTo(LocalDateTime.parse("2026-11-25T08:00").atZone(NEW_YORK).toInstant());
		assertThat(this.policy.decide(lead, Channel.EMAIL, lateTuesday).verdict()).isEqualTo(Verdict.SKIP);
	}

	@Test
	void aTouchBlockedByQuietHoursAndTheCapWaitsForBoth() {
		Lead lead = lead("\"phone\":\"+1 415 555 2674\",\"timeZone\":\"America/New_York\",\"consent\":{\"sms\":true}");
		Instant fridayEvening = LocalDateTime.parse("2026-11-27T22:00").atZone(NEW_YORK).toInstant();
		Instant mondayMorning = LocalDateTime.parse("2026-11-30T08:00").atZone(NEW_YORK).toInstant();
		for (int i = 0; i < 3; i++) {
			// the oldest leaves the 7-day window on Monday at 09:00 New York time
			touchedAt(lead, mondayMorning.minus(Duration.ofDays(7)).plus(Duration.ofHours(1 + i)), "SENT");
		}

		PolicyDecision decision = this.policy.decide(lead, Channel.SMS, fridayEvening);

		assertThat(decision.verdict()).isEqualTo(Verdict.DEFER);
		assertThat(decision.until()).isEqualTo(mondayMorning.plus(Duration.ofHours(1)));
	}

	@Test
	void aRetryIsAskedAgainAboutConsentAndQuietHoursButNotAboutTheCapItAlreadyCountsIn() {
		Lead lead = lead("\"phone\":\"+1 415 555 2677\",\"timeZone\":\"America/New_York\",\"consent\":{\"sms\":true}");
		Instant lateTuesday = LocalDateTime.parse("2026-11-24T22:30").atZone(NEW_YORK).toInstant();
		for (int i = 1; i <= 3; i++) {
			touchedAt(lead, lateTuesday.minus(Duration.ofHours(i)), (i == 1) ? "PENDING" : "SENT");
		}

		PolicyDecision atNight = this.policy.decideAgain(lead, Channel.SMS, lateTuesday);
		assertThat(atNight.verdict()).isEqualTo(Verdict.DEFER);
		assertThat(atNight.reason()).isEqualTo("quiet hours");
		assertThat(atNight.until()).isEqualTo(LocalDateTime.parse("2026-11-25T08:00").atZone(NEW_YORK).toInstant());
		assertThat(this.policy.decideAgain(lead, Channel.SMS, atNight.until()).verdict()).isEqualTo(Verdict.SEND);
		assertThat(this.policy.decide(lead, Channel.SMS, atNight.until()).reason()).isEqualTo("frequency cap");

		this.jdbc.sql("update lead set consent_sms = false where id = ?").param(lead.id()).update();
		PolicyDecision withdrawn = this.policy.decideAgain(this.leads.findById(lead.id()).orElseThrow(), Channel.SMS,
				atNight.until());
		assertThat(withdrawn.verdict()).isEqualTo(Verdict.SKIP);
		assertThat(withdrawn.reason()).isEqualTo("no SMS consent");
	}

	@Test
	void touchesWithoutConsentOrToSuppressedAddressesAreSkipped() {
		Lead noConsent = lead("\"phone\":\"+1 415 555 2675\"");
		Lead noPhone = lead("\"consent\":{\"email\":true,\"sms\":true}");
		Lead suppressed = lead("\"phone\":\"+1 415 555 2676\",\"consent\":{\"email\":true,\"sms\":true}");

		assertThat(this.policy.decide(noConsent, Channel.EMAIL, TUESDAY_MORNING).reason()).isEqualTo("no email consent");
		assertThat(this.policy.decide(noConsent, Channel.SMS, TUESDAY_MORNING).reason()).isEqualTo("no SMS consent");
		assertThat(this.policy.decide(noPhone, Channel.SMS, TUESDAY_MORNING).reason()).isEqualTo("no phone number");

		Api.Response added = this.api.postJson("/api/suppressions",
				"{\"address\":\"+14155552676\",\"reason\":\"asked on the phone\"}");
		assertThat(added.status()).isEqualTo(201);

		PolicyDecision email = this.policy.decide(suppressed, Channel.EMAIL, TUESDAY_MORNING);
		assertThat(email.verdict()).isEqualTo(Verdict.SKIP);
		assertThat(email.reason()).isEqualTo("on the do-not-contact list");
		assertThat(this.api.get("/api/suppressions").body()).contains("+14155552676");

		assertThat(this.api.send(this.api.request("/api/suppressions/+14155552676").DELETE()).status()).isEqualTo(204);
		assertThat(this.policy.decide(suppressed, Channel.EMAIL, TUESDAY_MORNING).verdict()).isEqualTo(Verdict.SEND);
	}

	@Test
	void theSuppressionApiRefusesWhatIsNotAnAddress() {
		Api.Response refused = this.api.postJson("/api/suppressions", "{\"address\":\"not an address\",\"reason\":\"x\"}");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("errors").findValuesAsText("field")).containsExactly("address");
		assertThat(this.api.send(this.api.request("/api/suppressions/nobody@example.com").DELETE()).status())
			.isEqualTo(404);
		assertThat(this.api.send(this.api.request("/api/suppressions", "Authorization", "")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"address\":\"x@y.z\",\"reason\":\"x\"}"))).status())
			.isEqualTo(401);
	}

	@Test
	void anAddressWithCharactersAUriEscapesIsListedAndRemovedThroughItsLocation() {
		String address = "jo|hn{" + UUID.randomUUID().toString().substring(0, 8) + "}%^@example.com";

		Api.Response added = this.api.postJson("/api/suppressions",
				"{\"address\":\"" + address + "\",\"reason\":\"asked by letter\"}");

		assertThat(added.status()).as(added.body()).isEqualTo(201);
		String location = added.header("Location");
		assertThat(location).doesNotContain("|", "{", "}", "^");
		assertThat(this.api.send(this.api.request(location).DELETE()).status()).isEqualTo(204);
		assertThat(this.api.get("/api/suppressions").body()).doesNotContain(address);
	}

	@Test
	void anAddressTooLongInLowerCaseOrWithASlashIsRefusedAndNotListed() {
		long listed = this.jdbc.sql("select count(*) from suppression").query(Long.class).single();

		// 135 characters as sent, 265 in lower case: İ becomes i and a combining dot
		Api.Response lengthened = this.api.postJson("/api/suppressions",
				"{\"address\":\"" + "İ".repeat(130) + "@x.io\",\"reason\":\"x\"}");
		Api.Response slash = this.api.postJson("/api/suppressions", "{\"address\":\"a/b@example.com\",\"reason\":\"x\"}");

		for (Api.Response refused : List.of(lengthened, slash)) {
			assertThat(refused.status()).as(refused.body()).isEqualTo(400);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.json().get("errors").findValuesAsText("field")).containsExactly("address");
		}
		assertThat(this.jdbc.sql("select count(*) from suppression").query(Long.class).single()).isEqualTo(listed);
	}

	@Test
	void aDeferredAcknowledgementWaitsOnATimerAndGoesOutWhenTheWindowOpens() {
		Instant lateTuesday = LocalDateTime.parse("2026-11-24T22:30").atZone(NEW_YORK).toInstant();
		ClockUtil.setCurrentTime(Date.from(lateTuesday));
		Lead lead = lead("\"phone\":\"+1 415 555 2677\",\"timeZone\":\"America/New_York\",\"consent\":{\"sms\":true}");
		String instance = this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(lead.id().toString())
			.singleResult()
			.getId();

		runDueJobs(instance);

		assertThat(touches(lead, "SMS")).containsExactly("DEFERRED");
		assertThat(touches(lead, "EMAIL")).containsExactly("SKIPPED");
		Job timer = this.management.createJobQuery()
			.processInstanceId(instance)
			.activityId("Timer_SmsAcknowledgementDeferred")
			.singleResult();
		Instant wednesdayMorning = LocalDateTime.parse("2026-11-25T08:00").atZone(NEW_YORK).toInstant();
		assertThat(timer.getDuedate().toInstant()).isEqualTo(wednesdayMorning);
		assertThat(this.runtime.getActiveActivityIds(instance)).contains("Timer_SmsAcknowledgementDeferred");

		ClockUtil.setCurrentTime(Date.from(wednesdayMorning.plusSeconds(1)));
		runDueJobs(instance);

		assertThat(touches(lead, "SMS")).containsExactly("DEFERRED", "RECORDED");
		assertThat(this.runtime.getActiveActivityIds(instance)).contains(LeadNurture.TASK_CALL_NEW_LEAD)
			.doesNotContain("Timer_SmsAcknowledgementDeferred", LeadNurture.TASK_SEND_ACKNOWLEDGEMENT_SMS);
	}

	private void runDueJobs(String instance) {
		for (int round = 0; round < 20; round++) {
			List<Job> due = this.management.createJobQuery()
				.processInstanceId(instance)
				.executable()
				.list();
			if (due.isEmpty()) {
				return;
			}
			due.forEach((job) -> this.management.executeJob(job.getId()));
		}
	}

	private List<String> touches(Lead lead, String channel) {
		return this.jdbc.sql("select status from touch where lead_id = ? and channel = ? order by id")
			.params(lead.id(), channel)
			.query(String.class)
			.list();
	}

	private Lead lead(String fields) {
		String id = this.api.postJson("/api/leads",
				"{\"email\":\"policy-" + UUID.randomUUID() + "@example.com\"," + fields + "}").json().get("id").asText();
		return this.leads.findById(UUID.fromString(id)).orElseThrow();
	}

	private void touchedAt(Lead lead, Instant at, String status) {
		this.jdbc.sql("""
				insert into touch (idempotency_key, lead_id, process_instance_id, activity_id, journey, channel, content,
				                   status, attempts, created_at, updated_at)
				values (?, ?, 'test', 'Task_Test', 'test', 'EMAIL', 'acknowledgement', ?, 1, ?, ?)""")
			.params(UUID.randomUUID().toString(), lead.id(), status, Timestamp.from(at), Timestamp.from(at))
			.update();
	}

}
