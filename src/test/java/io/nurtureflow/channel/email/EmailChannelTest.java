package io.nurtureflow.channel.email;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;
import io.nurtureflow.touch.TouchRequest;
import io.nurtureflow.touch.TouchStatus;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Email that really goes out over SMTP (GreenMail), and what a lead can do with it. */
@LiveChannelsTest
class EmailChannelTest {

	private static final Pattern CLICK = Pattern.compile("https://nurture\\.example\\.com(/t/c/[A-Za-z0-9_\\-.]+)");

	private static final Pattern UNSUBSCRIBE = Pattern.compile("https://nurture\\.example\\.com(/t/u/[A-Za-z0-9_\\-.]+)");

	private static final Pattern PIXEL = Pattern.compile("https://nurture\\.example\\.com(/t/o/[A-Za-z0-9_\\-.]+)");

	private static final String GUIDE = "https://nurtureflow.io/guides/getting-started";

	@LocalServerPort
	int port;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TouchDispatcher dispatcher;

	Api api;

	@BeforeEach
	void connect() throws Exception {
		this.api = new Api(this.port);
		LiveChannels.smtp().purgeEmailFromAllMailboxes();
	}

	@AfterEach
	void smtpIsBack() {
		LiveChannels.smtpBack();
	}

	@Test
	void theAcknowledgementArrivesPersonalisedWithBothPartsTrackingAndOneClickUnsubscribe() throws Exception {
		Lead lead = newLead();

		sendAcknowledgement(lead);

		MimeMessage mail = onlyMail();
		assertThat(mail.getFrom()[0].toString()).isEqualTo("Nurtureflow <hello@nurtureflow.test>");
		assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(lead.email());
		assertThat(mail.getSubject()).isEqualTo("Thanks, Ada — we got your request");
		assertThat(mail.getHeader("List-Unsubscribe")[0]).matches("<https://nurture\\.example\\.com/t/u/[^>]+>");
		assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");

		String text = part(mail, "text/plain");
		String html = part(mail, "text/html");
		assertThat(text).startsWith("Hi Ada,").contains("on behalf of Analytical Engines").doesNotContain("null");
		assertThat(text).doesNotContain(GUIDE).containsPattern(CLICK).contains("Unsubscribe: https://nurture.example.com/t/u/");
		assertThat(html).contains("Hi Ada,").doesNotContain("href=\"" + GUIDE).containsPattern(CLICK);
		assertThat(html).containsPattern(PIXEL).contains(">Unsubscribe</a>");
		assertThat(mail.getHeader("List-Unsubscribe")[0]).contains(find(UNSUBSCRIBE, html));

		var touch = this.jdbc.sql("select status, provider_id, attempts from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead.id())
			.query()
			.singleRow();
		assertThat(touch.get("STATUS")).isEqualTo("SENT");
		assertThat(touch.get("PROVIDER_ID")).isEqualTo(mail.getMessageID());
		assertThat(touch.get("ATTEMPTS")).isEqualTo(1);
	}

	@Test
	void aClickGoesToTheSignedUrlAndReachesTheLeadsRecord() throws Exception {
		Lead lead = newLead();
		sendAcknowledgement(lead);
		String click = find(CLICK, part(onlyMail(), "text/html"));

		Response redirect = this.api.get(click, "Authorization", "");

		assertThat(redirect.status()).isEqualTo(302);
		assertThat(redirect.header("Location")).isEqualTo(GUIDE);
		assertThat(events(lead, "CLICKED")).isOne();
		assertThat(this.api.get(click, "Authorization", "").status()).isEqualTo(302);
		assertThat(events(lead, "CLICKED")).isEqualTo(2);
	}

	@Test
	void aUrlTheLeadTypedIntoItsOwnDetailsNeverBecomesASignedRedirect() throws Exception {
		String email = "mail-" + UUID.randomUUID() + "@example.com";
		String id = this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"Ada","company":"https://evil.example.net/login",
				 "consent":{"email":true,"sms":false}}""".formatted(email)).json().get("id").asText();
		Lead lead = new Lead(UUID.fromString(id), email);

		sendAcknowledgement(lead);

		MimeMessage mail = onlyMail();
		String text = part(mail, "text/plain");
		assertThat(text).contains("on behalf of https://evil.example.net/login.").doesNotContain(GUIDE)
			.containsPattern(CLICK);
		Matcher clicks = CLICK.matcher(text + part(mail, "text/html"));
		while (clicks.find()) {
			assertThat(this.api.get(clicks.group(1), "Authorization", "").header("Location"))
				.doesNotContain("evil.example.net");
		}
	}

	@Test
	void forgedTamperedOrRedirectedTokensAreRefusedAndChangeNothing() throws Exception {
		Lead lead = newLead();
		sendAcknowledgement(lead);
		String click = find(CLICK, part(onlyMail(), "text/html"));
		String token = click.substring("/t/c/".length());
		String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
				StandardCharsets.UTF_8);
		String redirected = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(payload.replace(GUIDE, "https://evil.example.net/").getBytes(StandardCharsets.UTF_8))
				+ token.substring(token.indexOf('.'));
		String otherLead = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(payload.replace(lead.id().toString(), UUID.randomUUID().toString())
				.getBytes(StandardCharsets.UTF_8)) + token.substring(token.indexOf('.'));

		assertThat(this.api.get("/t/c/" + redirected, "Authorization", "").status()).isEqualTo(404);
		assertThat(this.api.get("/t/c/" + otherLead, "Authorization", "").status()).isEqualTo(404);
		assertThat(this.api.get("/t/c/" + token.substring(0, token.length() - 2) + "xx", "Authorization", "").status())
			.isEqualTo(404);
		assertThat(this.api.get("/t/c/not-a-token", "Authorization", "").status()).isEqualTo(404);
		assertThat(this.api.send(this.api.request("/t/u/" + otherLead, "Authorization", "")
			.POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))).status()).isEqualTo(404);
		assertThat(events(lead, "CLICKED")).isZero();
		assertThat(consentEmail(lead)).isTrue();
	}

	@Test
	void anOpenIsCountedOnceHoweverOftenThePixelLoads() throws Exception {
		Lead lead = newLead();
		sendAcknowledgement(lead);
		String pixel = find(PIXEL, part(onlyMail(), "text/html"));

		Response first = this.api.get(pixel, "Authorization", "");
		this.api.get(pixel, "Authorization", "");

		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("Content-Type")).isEqualTo("image/gif");
		assertThat(events(lead, "OPENED")).isOne();
	}

	@Test
	void oneClickUnsubscribeWorksWithoutLoginOrCookieAndTheLinkPageOnlyAsks() throws Exception {
		Lead lead = newLead();
		sendAcknowledgement(lead);
		String unsubscribe = find(UNSUBSCRIBE, onlyMail().getHeader("List-Unsubscribe")[0]);

		Response page = this.api.get(unsubscribe, "Authorization", "");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("<form method=\"post\"");
		assertThat(consentEmail(lead)).isTrue();

		Response oneClick = this.api.send(this.api.request(unsubscribe, "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));

		assertThat(oneClick.status()).isEqualTo(200);
		assertThat(consentEmail(lead)).isFalse();
		assertThat(events(lead, "UNSUBSCRIBED")).isOne();
		assertThat(this.jdbc.sql("select count(*) from consent where lead_id = ? and channel = 'EMAIL' and granted = false")
			.param(lead.id())
			.query(Long.class)
			.single()).isOne();
	}

	@Test
	void anSmtpOutageBecomesRetriesAndTheTouchIsSentOnceWhenItIsBack() throws Exception {
		Lead lead = newLead();
		Job job = acknowledgementJob(lead);
		LiveChannels.stopSmtp();

		assertThatThrownBy(() -> this.management.executeJob(job.getId())).isInstanceOf(RuntimeException.class);

		var pending = this.jdbc.sql("select status, last_error, attempts from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead.id())
			.query()
			.singleRow();
		assertThat(pending.get("STATUS")).isEqualTo(TouchStatus.PENDING.name());
		assertThat((String) pending.get("LAST_ERROR")).isNotBlank();
		Job retried = this.management.createJobQuery().jobId(job.getId()).singleResult();
		assertThat(retried.getRetries()).isEqualTo(4);
		assertThat(retried.getExceptionMessage()).isNotBlank();

		LiveChannels.startSmtp();
		this.management.executeJob(job.getId());

		assertThat(LiveChannels.smtp().getReceivedMessages()).hasSize(1);
		assertThat(this.jdbc.sql("select status, attempts from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead.id())
			.query()
			.singleRow()).containsEntry("STATUS", "SENT").containsEntry("ATTEMPTS", 2);
	}

	@Test
	void aRetryToALeadPutOnTheDoNotContactListMeanwhileIsNotSent() throws Exception {
		Lead lead = newLead();
		Job job = failedOnceInAnOutage(lead);
		assertThat(this.api.postJson("/api/suppressions",
				"{\"address\":\"%s\",\"reason\":\"asked on the phone\"}".formatted(lead.email())).status())
			.isEqualTo(201);

		this.management.executeJob(job.getId());

		assertThat(LiveChannels.smtp().getReceivedMessages()).isEmpty();
		assertThat(this.jdbc.sql("select status, reason, attempts from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead.id())
			.query()
			.singleRow()).containsEntry("STATUS", "SKIPPED")
			.containsEntry("REASON", "on the do-not-contact list")
			.containsEntry("ATTEMPTS", 1);
		assertThat(this.management.createJobQuery().jobId(job.getId()).count()).isZero();
	}

	@Test
	void aTouchWaitingForItsNextTryWhenTheJourneyEndsIsSkippedNotLeftPending() {
		Lead lead = newLead();
		Job job = failedOnceInAnOutage(lead);

		assertThat(this.api.send(this.api.request("/api/leads/" + lead.id() + "/disqualify?reason=competitor")
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);

		assertThat(this.management.createJobQuery().jobId(job.getId()).count()).isZero();
		assertThat(this.jdbc.sql("select status, reason from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead.id())
			.query()
			.singleRow()).containsEntry("STATUS", "SKIPPED")
			.containsEntry("REASON", "the journey ended before its next try");
		assertThat(LiveChannels.smtp().getReceivedMessages()).isEmpty();
	}

	@Test
	void aJourneyCancelledInCockpitWithoutItsListenersStillSettlesItsPendingTouch() {
		Lead lead = newLead();
		Job job = failedOnceInAnOutage(lead);

		// Cockpit's "cancel" with "skip custom listeners" ticked
		this.runtime.deleteProcessInstance(job.getProcessInstanceId(), "cancelled in Cockpit", true);

		assertThat(this.jdbc.sql("select status from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead.id())
			.query(String.class)
			.single()).isEqualTo("SKIPPED");
	}

	@Test
	void aContentErrorAfterTheClaimIsRetriedAndShownNotMarkedFailedInSilence() {
		Lead lead = newLead();
		var request = new TouchRequest(lead.id(), "content-error-" + lead.id(), "test", "Task_Test", "test",
				Channel.EMAIL, "No Such Piece");

		assertThatThrownBy(() -> this.dispatcher.dispatch(request)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> this.dispatcher.dispatch(request)).isInstanceOf(IllegalArgumentException.class);

		assertThat(LiveChannels.smtp().getReceivedMessages()).isEmpty();
		var touch = this.jdbc.sql("select status, attempts, last_error from touch where idempotency_key = ?")
			.param(request.idempotencyKey())
			.query()
			.singleRow();
		assertThat(touch).containsEntry("STATUS", "PENDING").containsEntry("ATTEMPTS", 2);
		assertThat((String) touch.get("LAST_ERROR")).contains("No Such Piece");
	}

	@Test
	void aTouchInterruptedMidSendIsNotSentAgain() throws Exception {
		Lead lead = newLead();
		Job job = acknowledgementJob(lead);
		String instance = job.getProcessInstanceId();
		String key = instance + ":" + LeadNurture.TASK_SEND_ACKNOWLEDGEMENT + ":1";
		// what a node that died after handing the message to SMTP leaves behind
		this.jdbc.sql("""
				insert into touch (idempotency_key, lead_id, process_instance_id, activity_id, journey, channel, content,
				                   status, attempts, created_at, updated_at)
				values (?, ?, ?, ?, 'lead-nurture', 'EMAIL', 'acknowledgement', 'SENDING', 1, current_timestamp,
				        current_timestamp)""")
			.params(key, lead.id(), instance, LeadNurture.TASK_SEND_ACKNOWLEDGEMENT)
			.update();

		this.management.executeJob(job.getId());

		assertThat(LiveChannels.smtp().getReceivedMessages()).isEmpty();
		assertThat(this.jdbc.sql("select status from touch where idempotency_key = ?").param(key).query(String.class).single())
			.isEqualTo("FAILED");
	}

	@Test
	void emailsDecidedAtTheSameMomentStayWithinTheCap() throws Exception {
		Lead lead = newLead();
		new LeadRecords(this.jdbc).touchedElsewhere(lead.id(), Instant.now().minus(Duration.ofDays(2)), 2);

		List<TouchStatus> made = AtOnce.touches(this.dispatcher, lead.id(), Channel.EMAIL, 8);

		assertThat(made).containsOnlyOnce(TouchStatus.SENT).containsOnly(TouchStatus.SENT, TouchStatus.DEFERRED);
		assertThat(LiveChannels.smtp().getReceivedMessages()).hasSize(1);
	}

	private Lead newLead() {
		String email = "mail-" + UUID.randomUUID() + "@example.com";
		String id = this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"Ada","company":"Analytical Engines","consent":{"email":true,"sms":false}}
				""".formatted(email)).json().get("id").asText();
		return new Lead(UUID.fromString(id), email);
	}

	private Job acknowledgementJob(Lead lead) {
		String instance = this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(lead.id().toString())
			.singleResult()
			.getId();
		return this.management.createJobQuery()
			.processInstanceId(instance)
			.activityId(LeadNurture.TASK_SEND_ACKNOWLEDGEMENT)
			.singleResult();
	}

	/** The lead's acknowledgement job after its first attempt met an SMTP outage; the server is back. */
	private Job failedOnceInAnOutage(Lead lead) {
		Job job = acknowledgementJob(lead);
		LiveChannels.stopSmtp();
		assertThatThrownBy(() -> this.management.executeJob(job.getId())).isInstanceOf(RuntimeException.class);
		LiveChannels.startSmtp();
		return job;
	}

	private void sendAcknowledgement(Lead lead) {
		this.management.executeJob(acknowledgementJob(lead).getId());
	}

	private MimeMessage onlyMail() {
		MimeMessage[] received = LiveChannels.smtp().getReceivedMessages();
		assertThat(received).hasSize(1);
		return received[0];
	}

	private static String part(MimeMessage mail, String type) throws Exception {
		return Mails.part(mail, type);
	}

	private static String find(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
		return matcher.group(1);
	}

	private long events(Lead lead, String type) {
		return this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = ?")
			.params(lead.id(), type)
			.query(Long.class)
			.single();
	}

	private boolean consentEmail(Lead lead) {
		return this.jdbc.sql("select consent_email from lead where id = ?").param(lead.id()).query(Boolean.class).single();
	}

	private record Lead(UUID id, String email) {
	}

}
