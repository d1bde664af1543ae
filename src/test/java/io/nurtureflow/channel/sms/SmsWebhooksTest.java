package io.nurtureflow.channel.sms;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Twilio calling back: inbound SMS (keywords and replies) and delivery status, each signed. */
@LiveChannelsTest
class SmsWebhooksTest extends SmsScenarios {

	private static final String SMS = "/webhooks/twilio/sms";

	private static final String STATUS = "/webhooks/twilio/status";

	@Autowired
	TwilioProperties twilioSettings;

	@Test
	void stopOptsTheNumberOutOfSms() {
		String ada = newLead("+1 202 555 0111", "Ada");
		String colleague = newLead("+1 202 555 0111", "Charles");

		Response answer = postSigned(SMS, inboundSms("+12025550111", "  stop ", sid()));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Content-Type")).startsWith("application/xml");
		assertThat(answer.body()).isEqualTo("<Response/>");
		for (String lead : List.of(ada, colleague)) {
			assertThat(smsConsent(lead)).isFalse();
			assertThat(lastConsentChange(lead)).containsEntry("CHANNEL", "SMS")
				.containsEntry("GRANTED", false)
				.containsEntry("SOURCE", "SMS STOP");
			assertThat(engagements(lead)).extracting((e) -> e.get("TYPE"), (e) -> e.get("CHANNEL"))
				.containsExactly(tuple("SMS_OPTED_OUT", "SMS"));
		}
	}

	@Test
	void everyCarrierOptOutKeywordOptsOut() {
		List<String> keywords = List.of("STOPALL", "Unsubscribe", "cancel", "END", "quit");
		for (int i = 0; i < keywords.size(); i++) {
			String phone = "+1202555013" + i;
			String lead = newLead(phone, "Ada");

			postSigned(SMS, inboundSms(phone, keywords.get(i), sid()));

			assertThat(smsConsent(lead)).as(keywords.get(i)).isFalse();
			assertThat(lastConsentChange(lead)).containsEntry("SOURCE", "SMS " + keywords.get(i).toUpperCase(Locale.ROOT));
		}
	}

	@Test
	void startOptsTheNumberBackIn() {
		String lead = newLead("+1 202 555 0113", "Ada");
		postSigned(SMS, inboundSms("+12025550113", "STOP", sid()));

		Response answer = postSigned(SMS, inboundSms("+12025550113", "Start", sid()));

		assertThat(answer.body()).isEqualTo("<Response/>");
		assertThat(smsConsent(lead)).isTrue();
		assertThat(lastConsentChange(lead)).containsEntry("GRANTED", true).containsEntry("SOURCE", "SMS START");
		assertThat(engagements(lead)).extracting((e) -> e.get("TYPE")).containsExactly("SMS_OPTED_OUT", "SMS_OPTED_IN");
		postSigned(SMS, inboundSms("+12025550113", "STOP", sid()));
		postSigned(SMS, inboundSms("+12025550113", "unstop", sid()));
		assertThat(smsConsent(lead)).isTrue();
	}

	@Test
	void helpIsAnsweredWithTheHelpText() {
		String lead = newLead("+1 202 555 0114", "Ada");

		Response answer = postSigned(SMS, inboundSms("+12025550114", "help", sid()));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Content-Type")).startsWith("application/xml");
		assertThat(answer.body())
			.isEqualTo("<Response><Message>" + this.twilioSettings.helpText() + "</Message></Response>")
			.contains("reply STOP to opt out");
		assertThat(smsConsent(lead)).isTrue();
		assertThat(engagements(lead)).isEmpty();
	}

	@Test
	void anyOtherTextIsAReply() {
		String lead = newLead("+1 202 555 0115", "Ada");

		Response answer = postSigned(SMS, inboundSms("+12025550115", "Sounds good, call me", sid()));

		assertThat(answer.body()).isEqualTo("<Response/>");
		assertThat(engagements(lead)).extracting((e) -> e.get("TYPE"), (e) -> e.get("DETAIL"))
			.containsExactly(tuple("SMS_REPLIED", "Sounds good, call me"));
		assertThat(smsConsent(lead)).isTrue();
	}

	@Test
	void aReplyInAnyScriptIsKeptAsWritten() {
		String lead = newLead("+1 202 555 0123", "Ada");

		postSigned(SMS, inboundSms("+12025550123", "Klingt gut – ruf mich an 👍", sid()));

		assertThat(engagements(lead)).extracting((e) -> e.get("DETAIL")).containsExactly("Klingt gut – ruf mich an 👍");
	}

	@Test
	void aWebhookUrlWithAQueryStringIsCheckedAsTwilioCalledIt() {
		String lead = newLead("+1 202 555 0124", "Ada");

		Response answer = postSigned(SMS + "?tenant=acme&From=%2B10000000000",
				inboundSms("+12025550124", "STOP", sid()));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(smsConsent(lead)).isFalse();
	}

	@Test
	void aReplayedWebhookIsOneEvent() {
		String lead = newLead("+1 202 555 0116", "Ada");
		String reply = sid();
		String stop = sid();

		postSigned(SMS, inboundSms("+12025550116", "Sounds good, call me", reply));
		postSigned(SMS, inboundSms("+12025550116", "Sounds good, call me", reply));
		postSigned(SMS, inboundSms("+12025550116", "STOP", stop));
		Response replayed = postSigned(SMS, inboundSms("+12025550116", "STOP", stop));

		assertThat(replayed.status()).isEqualTo(200);
		assertThat(engagements(lead)).extracting((e) -> e.get("TYPE")).containsExactly("SMS_REPLIED", "SMS_OPTED_OUT");
		assertThat(consentChanges(lead)).isEqualTo(3);
	}

	@Test
	void aStartSentAgainAfterALaterStopDoesNotOptTheNumberBackIn() {
		String lead = newLead("+1 202 555 0125", "Ada");
		String start = sid();

		postSigned(SMS, inboundSms("+12025550125", "STOP", sid()));
		postSigned(SMS, inboundSms("+12025550125", "START", start));
		postSigned(SMS, inboundSms("+12025550125", "STOP", sid()));
		Response replayed = postSigned(SMS, inboundSms("+12025550125", "START", start));

		assertThat(replayed.status()).isEqualTo(200);
		assertThat(smsConsent(lead)).isFalse();
		assertThat(engagements(lead)).extracting((e) -> e.get("TYPE"))
			.containsExactly("SMS_OPTED_OUT", "SMS_OPTED_IN", "SMS_OPTED_OUT");
	}

	@Test
	void aNumberNoLeadHasChangesNothing() {
		long events = rows("engagement_event");
		long consentChanges = rows("consent");

		Response answer = postSigned(SMS, inboundSms("+12025550117", "STOP", sid()));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("<Response/>");
		assertThat(rows("engagement_event")).isEqualTo(events);
		assertThat(rows("consent")).isEqualTo(consentChanges);
	}

	@Test
	void anUnsignedRequestIsForbiddenAndChangesNothing() {
		String lead = newLead("+1 202 555 0118", "Ada");

		Response refused = postWebhook(SMS, inboundSms("+12025550118", "STOP", sid()), null);

		assertForbidden(refused);
		assertThat(smsConsent(lead)).isTrue();
		assertThat(engagements(lead)).isEmpty();
	}

	@Test
	void aWronglySignedRequestIsForbiddenAndChangesNothing() {
		String lead = newLead("+1 202 555 0119", "Ada");
		Map<String, String> stop = inboundSms("+12025550119", "STOP", sid());

		assertForbidden(postWebhook(SMS, stop, sign(PUBLIC_URL + SMS, stop, "not-our-token")));
		assertForbidden(postWebhook(SMS, stop, sign("http://localhost:" + this.port + SMS, stop,
				LiveChannels.TWILIO_TOKEN)));
		Map<String, String> tampered = inboundSms("+12025550119", "STOP", sid());
		String signature = sign(PUBLIC_URL + SMS, tampered, LiveChannels.TWILIO_TOKEN);
		tampered.put("Body", "START");
		assertForbidden(postWebhook(SMS, tampered, signature));

		assertThat(smsConsent(lead)).isTrue();
		assertThat(engagements(lead)).isEmpty();
	}

	@Test
	void aStatusCallbackMustBeSignedToo() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0120", "Ada");
		String sid = sid();
		twilioAccepts(sid);
		this.management.executeJob(smsJob(lead).getId());

		assertForbidden(postWebhook(STATUS, statusCallback(sid, "delivered", null), null));

		assertThat(touch(lead)).containsEntry("STATUS", "SENT");
	}

	@Test
	void deliveredMarksTheTouchDelivered() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0121", "Ada");
		String sid = sid();
		twilioAccepts(sid);
		this.management.executeJob(smsJob(lead).getId());

		assertThat(postSigned(STATUS, statusCallback(sid, "sent", null)).status()).isEqualTo(204);
		assertThat(touch(lead)).containsEntry("STATUS", "SENT");
		Response answer = postSigned(STATUS, statusCallback(sid, "delivered", null));

		assertThat(answer.status()).isEqualTo(204);
		assertThat(touch(lead)).containsEntry("STATUS", "DELIVERED");
		assertThat(failedTouches(lead)).isZero();
	}

	@Test
	void undeliveredFailsTheTouchAndCountsAgainstTheLeadOnce() {
		duringSmsHours();
		String lead = newLead("+1 202 555 0122", "Ada");
		String sid = sid();
		twilioAccepts(sid);
		this.management.executeJob(smsJob(lead).getId());

		Response answer = postSigned(STATUS, statusCallback(sid, "undelivered", "30003"));
		postSigned(STATUS, statusCallback(sid, "undelivered", "30003"));

		assertThat(answer.status()).isEqualTo(204);
		assertThat(touch(lead)).containsEntry("STATUS", "FAILED").containsEntry("REASON", "Twilio error 30003");
		assertThat(failedTouches(lead)).isOne();
	}

	/** Twilio retries a callback it got no answer to in time, so the same news can arrive twice at once. */
	@Test
	void failureNewsArrivingSeveralTimesAtOnceCountsAgainstTheLeadOnce() throws Exception {
		duringSmsHours();
		String lead = newLead("+1 202 555 0123", "Ada");
		String sid = sid();
		twilioAccepts(sid);
		this.management.executeJob(smsJob(lead).getId());
		int callbacks = 8;

		assertThat(AtOnce.call(callbacks, (i) -> postSigned(STATUS,
				statusCallback(sid, (i % 2 == 0) ? "undelivered" : "failed", "30003")).status()))
			.hasSize(callbacks)
			.containsOnly(204);

		assertThat(touch(lead)).containsEntry("STATUS", "FAILED");
		assertThat(failedTouches(lead)).isOne();
	}

	@Test
	void aStatusForAnUnknownMessageChangesNothing() {
		Response answer = postSigned(STATUS, statusCallback(sid(), "failed", "30005"));

		assertThat(answer.status()).isEqualTo(204);
	}

	private static void assertForbidden(Response refused) {
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("type").asText()).isEqualTo("https://nurtureflow.io/problems/forbidden");
		assertThat(refused.json().get("title").asText()).isEqualTo("Forbidden");
		assertThat(refused.json().get("status").asInt()).isEqualTo(403);
		assertThat(refused.json().get("detail").asText()).contains("X-Twilio-Signature");
	}

	private Map<String, Object> lastConsentChange(String lead) {
		return this.jdbc.sql("select channel, granted, source from consent where lead_id = ? order by id desc limit 1")
			.param(UUID.fromString(lead))
			.query()
			.singleRow();
	}

	private long consentChanges(String lead) {
		return this.jdbc.sql("select count(*) from consent where lead_id = ?")
			.param(UUID.fromString(lead))
			.query(Long.class)
			.single();
	}

	private long rows(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

}
