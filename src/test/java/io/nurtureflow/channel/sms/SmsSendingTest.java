package io.nurtureflow.channel.sms;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journey's acknowledgement SMS, sent through the real Twilio SDK to WireMock. */
@LiveChannelsTest
class SmsSendingTest extends SmsScenarios {

	@Test
	void acknowledgementSmsGoesThroughTwilioPersonalisedWithTheStopHint() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0101", "Ada");
		String sid = sid();
		twilioAccepts(sid);

		this.management.executeJob(smsJob(lead).getId());

		assertThat(sends()).hasSize(1);
		LoggedRequest send = sends().get(0);
		assertThat(send.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
			.encodeToString((LiveChannels.TWILIO_ACCOUNT + ":" + LiveChannels.TWILIO_TOKEN)
				.getBytes(StandardCharsets.UTF_8)));
		Map<String, String> params = form(send.getBodyAsString());
		assertThat(params).containsEntry("To", "+12025550101")
			.containsEntry("From", LiveChannels.TWILIO_FROM)
			.containsEntry("StatusCallback", "https://nurture.example.com/webhooks/twilio/status");
		assertThat(params.get("Body")).startsWith("Hi Ada, thanks for your request!")
			.endsWith(" Reply STOP to opt out.")
			.doesNotContain("null");
		assertThat(touch(lead)).containsEntry("STATUS", "SENT").containsEntry("PROVIDER_ID", sid);
	}

	@Test
	void aLeadWithoutAFirstNameIsGreetedWithoutNull() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0102", null);
		twilioAccepts(sid());

		this.management.executeJob(smsJob(lead).getId());

		assertThat(form(sends().get(0).getBodyAsString()).get("Body")).startsWith("Hi, thanks")
			.doesNotContain("null");
	}

	@Test
	void anInvalidNumberFailsTheTouchForGoodWithoutAnIncident() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0103", "Ada");
		twilioRefuses(400, 21211, "The 'To' number +12025550103 is not a valid phone number.");
		Job job = smsJob(lead);

		this.management.executeJob(job.getId());

		assertThat(touch(lead)).containsEntry("STATUS", "FAILED");
		assertThat((String) touch(lead).get("REASON")).contains("21211").contains("not a valid phone number");
		assertThat(failedTouches(lead)).isOne();
		assertThat(this.management.createJobQuery().jobId(job.getId()).count()).isZero();
		assertThat(this.runtime.createIncidentQuery().processInstanceId(journeyOf(lead)).count()).isZero();
		finishSmsBranch(lead);
		assertThat(this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(journeyOf(lead))
			.activityId("EndEvent_SmsAcknowledged")
			.count()).isOne();
		assertThat(sends()).hasSize(1);
	}

	@Test
	void aTwilioOutageIsRetriedAndTheRetrySendsOnce() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0104", "Ada");
		twilioRefuses(500, 20500, "Internal Server Error");
		Job job = smsJob(lead);

		assertThatThrownBy(() -> this.management.executeJob(job.getId())).hasMessageContaining("Internal Server Error");

		Map<String, Object> pending = touch(lead);
		assertThat(pending).containsEntry("STATUS", "PENDING");
		assertThat((String) pending.get("LAST_ERROR")).contains("Internal Server Error");
		Job retried = this.management.createJobQuery().jobId(job.getId()).singleResult();
		// R5/PT1M: the first failure sets five tries and uses one
		assertThat(retried.getRetries()).isEqualTo(4);
		assertThat(retried.getExceptionMessage()).contains("Internal Server Error");
		assertThat(sends()).as("one request per attempt: the SDK's own retries are off").hasSize(1);

		this.twilio.resetMappings();
		String sid = sid();
		twilioAccepts(sid);
		this.management.executeJob(job.getId());

		assertThat(touch(lead)).containsEntry("STATUS", "SENT")
			.containsEntry("PROVIDER_ID", sid)
			.containsEntry("ATTEMPTS", 2);
		assertThat(successfulSends()).isOne();
		assertThat(this.runtime.createIncidentQuery().processInstanceId(journeyOf(lead)).count()).isZero();
	}

	/**
	 * Twilio's 429 and 5xx answers wait for the step's next retry, never for an immediate one
	 * inside the SDK; a {@code Retry-After} longer than the retry cycle's wait is honoured.
	 */
	@Test
	void throttlingAndServerErrorsWaitForTheNextRetryAndTheSmsIsCreatedOnce() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0106", "Ada");
		String sid = sid();
		twilioAnswersInTurn(throttled("5"), throttled("120"), serverError(), accepted(sid));
		Job job = smsJob(lead);

		// 429, Retry-After 5 s: the cycle's minute is longer, so the minute it is
		failsAndWaits(job, Duration.ofMinutes(1), "Too Many Requests");
		assertThat(sends()).hasSize(1);
		// 429, Retry-After 2 min: longer than the cycle's minute, so Twilio's wait wins
		failsAndWaits(job, Duration.ofMinutes(2), "Too Many Requests");
		assertThat(sends()).hasSize(2);
		// 500: the next try a minute later, with no retry of the SDK's own in between
		failsAndWaits(job, Duration.ofMinutes(1), "Internal Server Error");
		assertThat(sends()).hasSize(3);
		this.management.executeJob(job.getId());

		assertThat(sends()).hasSize(4);
		assertThat(successfulSends()).isOne();
		assertThat(touch(lead)).containsEntry("STATUS", "SENT")
			.containsEntry("PROVIDER_ID", sid)
			.containsEntry("ATTEMPTS", 4);
		finishSmsBranch(lead);
		assertThat(this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(journeyOf(lead))
			.activityId("EndEvent_SmsAcknowledged")
			.count()).isOne();
		assertThat(this.runtime.createIncidentQuery().processInstanceId(journeyOf(lead)).count()).isZero();
	}

	/** Runs the due job, which fails; it must wait exactly {@code wait} on the engine clock before it is due again. */
	private void failsAndWaits(Job job, Duration wait, String error) {
		assertThat(this.management.createJobQuery().jobId(job.getId()).executable().count()).isOne();
		assertThatThrownBy(() -> this.management.executeJob(job.getId())).hasMessageContaining(error);
		Instant failedAt = ClockUtil.now().toInstant();
		Job retried = this.management.createJobQuery().jobId(job.getId()).singleResult();
		assertThat(retried.getDuedate()).isEqualTo(Date.from(failedAt.plus(wait)));
		assertThat(touch(job)).containsEntry("STATUS", "PENDING");
		ClockUtil.setCurrentTime(Date.from(failedAt.plus(wait).minusSeconds(1)));
		assertThat(this.management.createJobQuery().jobId(job.getId()).executable().count()).isZero();
		ClockUtil.setCurrentTime(Date.from(failedAt.plus(wait)));
	}

	private Map<String, Object> touch(Job job) {
		return this.jdbc.sql("select status from touch where process_instance_id = ? and channel = 'SMS'")
			.param(job.getProcessInstanceId())
			.query()
			.singleRow();
	}

	@Test
	void aRetryAfterTheOtherBranchMovedOnStillFindsItsOwnTouch() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0105", "Ada");
		twilioRefuses(500, 20500, "Internal Server Error");
		Job sms = smsJob(lead);
		assertThatThrownBy(() -> this.management.executeJob(sms.getId())).hasMessageContaining("Internal Server Error");

		// the email branch runs and commits between the failed attempt and its retry
		Job email = this.management.createJobQuery()
			.processInstanceId(journeyOf(lead))
			.activityId("Task_SendAcknowledgement")
			.singleResult();
		this.management.executeJob(email.getId());
		this.twilio.resetMappings();
		twilioAccepts(sid());
		this.management.executeJob(sms.getId());

		assertThat(touch(lead)).containsEntry("STATUS", "SENT").containsEntry("ATTEMPTS", 2);
		assertThat(successfulSends()).isOne();
	}

}
