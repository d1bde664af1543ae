package io.nurtureflow.channel.email;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nurtureflow.lead.ResubscribeDelivery;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import io.nurtureflow.tracking.TrackingLinks;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The way back to email for a lead that unsubscribed: a form ticking email consent again sends one
 * email to the lead's own address, whose signed link gives the consent back (GreenMail as the
 * SMTP server).
 */
@LiveChannelsTest
class ResubscribeEmailTest {

	/** How often a test looks whether the node's sending thread has done its part. */
	private static final Duration POLL = Duration.ofMillis(50);

	private static final Pattern RESUBSCRIBE = Pattern.compile("https://nurture\\.example\\.com(/t/r/[A-Za-z0-9_\\-.]+)");

	@LocalServerPort
	int port;

	@Autowired
	TrackingLinks links;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ResubscribeDelivery delivery;

	Api api;

	@BeforeEach
	void connect() throws Exception {
		this.api = new Api(this.port);
		LiveChannels.smtp().purgeEmailFromAllMailboxes();
	}

	@AfterEach
	void smtpIsBack() {
		ClockUtil.reset();
		LiveChannels.smtpBack();
	}

	/** The link is the only thing in it: the email answers the lead's own request and is no marketing. */
	@Test
	void aLeadThatUnsubscribedAndTicksEmailAgainGetsOneEmailWhoseLinkGivesTheConsentBack() throws Exception {
		Lead lead = unsubscribedLead();

		assertThat(submittedAgain(lead).status()).isEqualTo(200);
		assertThat(submittedAgain(lead).status()).isEqualTo(200);

		MimeMessage mail = onlyMail(lead);
		assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(lead.email());
		assertThat(mail.getSubject()).isEqualTo("Do you want our emails again, Ada?");
		assertThat(mail.getHeader("List-Unsubscribe")).isNull();
		String text = Mails.part(mail, "text/plain");
		String html = Mails.part(mail, "text/html");
		assertThat(text + html).doesNotContain("/t/c/", "/t/o/", "/t/u/");
		String link = find(RESUBSCRIBE, text);
		assertThat(html).contains("href=\"https://nurture.example.com" + link + "\"");
		assertThat(consentEmail(lead)).as("a form alone gives nothing back").isFalse();

		Response page = this.api.get(link, "Authorization", "");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("<form method=\"post\" action=\"" + link + "\"");
		assertThat(consentEmail(lead)).as("opening the link only asks (mail scanners open links)").isFalse();

		Response confirmed = post(link);
		assertThat(confirmed.status()).isEqualTo(200);
		assertThat(confirmed.body()).contains("you will get our emails again");
		assertThat(consentEmail(lead)).isTrue();
		assertThat(consentHistory(lead)).endsWith("EMAIL true confirmed by email link");
		assertThat(events(lead, "EMAIL_OPTED_IN")).isOne();

		assertThat(post(link).status()).as("the same link again").isEqualTo(200);
		assertThat(events(lead, "EMAIL_OPTED_IN")).isOne();
		assertThat(consentHistory(lead)).filteredOn((change) -> change.contains("confirmed")).hasSize(1);
	}

	/** A form cannot be used to fill someone's mailbox: one email a period, whatever is posted meanwhile. */
	@Test
	void aLeadGetsAtMostOneSuchEmailAPeriod() throws Exception {
		Lead lead = unsubscribedLead();
		submittedAgain(lead);
		for (int i = 0; i < 5; i++) {
			submittedAgain(lead);
		}
		assertThat(requests(lead)).hasSize(1);
		assertThat(mailsTo(lead, 1)).hasSize(1);

		askedAgo(lead, Duration.ofHours(24));
		submittedAgain(lead);

		assertThat(mailsTo(lead, 2)).hasSize(2);
	}

	@Test
	void aTamperedOrForeignLinkGetsTheInvalidLinkPageAndChangesNothing() throws Exception {
		Lead lead = unsubscribedLead();
		Lead other = unsubscribedLead();
		submittedAgain(lead);
		String link = find(RESUBSCRIBE, Mails.part(onlyMail(lead), "text/plain"));
		String token = link.substring("/t/r/".length());
		String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
				StandardCharsets.UTF_8);
		String forOtherLead = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(payload.replace(lead.id().toString(), other.id().toString()).getBytes(StandardCharsets.UTF_8))
				+ token.substring(token.indexOf('.'));
		String unsubscribeToken = lead.unsubscribe().substring("/t/u/".length());

		for (String forged : List.of(token.substring(0, token.length() - 2) + "xx", forOtherLead, token + "A",
				"not-a-token", unsubscribeToken)) {
			for (Response answer : List.of(this.api.get("/t/r/" + forged, "Authorization", ""), post("/t/r/" + forged))) {
				assertThat(answer.status()).as(forged).isEqualTo(404);
				assertThat(answer.body()).contains("This link is not valid");
			}
		}

		assertThat(consentEmail(lead)).isFalse();
		assertThat(consentEmail(other)).isFalse();
		assertThat(events(lead, "EMAIL_OPTED_IN") + events(other, "EMAIL_OPTED_IN")).isZero();
	}

	@Test
	void anExpiredLinkSaysSoAndChangesNothing() throws Exception {
		Lead lead = unsubscribedLead();
		submittedAgain(lead);
		String link = find(RESUBSCRIBE, Mails.part(onlyMail(lead), "text/plain"));
		askedAgo(lead, Duration.ofHours(24));

		Response page = this.api.get(link, "Authorization", "");
		Response confirmed = post(link);

		for (Response answer : List.of(page, confirmed)) {
			assertThat(answer.status()).isEqualTo(410);
			assertThat(answer.body()).contains("This link has expired, and nothing was changed").doesNotContain("<form");
		}
		assertThat(consentEmail(lead)).isFalse();
		assertThat(events(lead, "EMAIL_OPTED_IN")).isZero();
	}

	@Test
	void aLinkOfAnAddressPutOnTheDoNotContactListSinceGivesNothingBack() throws Exception {
		Lead lead = unsubscribedLead();
		submittedAgain(lead);
		String link = find(RESUBSCRIBE, Mails.part(onlyMail(lead), "text/plain"));
		assertThat(this.api.postJson("/api/suppressions", "{\"address\":\"" + lead.email() + "\",\"reason\":\"asked\"}")
			.status()).isEqualTo(201);

		Response confirmed = post(link);

		assertThat(confirmed.status()).isEqualTo(403);
		assertThat(confirmed.body()).contains("do-not-contact list");
		assertThat(consentEmail(lead)).isFalse();
		assertThat(events(lead, "EMAIL_OPTED_IN")).isZero();
	}

	/**
	 * The form's answer never waits for the SMTP server: here one that takes connections and never
	 * greets, so that each try lasts NURTURE_SMTP_TIMEOUT. The form is answered while the try
	 * still hangs; the failed try is kept for the next, which sends the email once the server is back.
	 */
	@Test
	void anSmtpServerThatHangsHoldsNoFormsAnswerAndTheEmailLeavesOnceItIsBack() throws Exception {
		Lead lead = unsubscribedLead();
		try (FaultySmtpServer silent = FaultySmtpServer.inPlaceOfGreenMail(FaultySmtpServer.silent())) {
			Response during = submittedAgain(lead);

			assertThat(during.status()).isEqualTo(200);
			assertThat(silent.connectionsGivenUp()).as("SMTP tries over when the form was answered").isZero();
		}
		assertThat(awaitFailedTry(lead)).isEqualTo("ASKED");
		LiveChannels.startSmtp();

		later(Duration.ofMinutes(1));
		this.delivery.sendDue();

		assertThat(mailsTo(lead, 1)).hasSize(1);
		assertThat(requests(lead)).containsExactly("SENT");
	}

	/**
	 * An outage when the form is posted loses nothing: the form is answered, the request waits
	 * with its failed try, the look tries it again after the wait, and the lead gets it once.
	 */
	@Test
	void anSmtpOutageWhenTheFormIsPostedLosesNothingAndTheEmailArrivesOnceItIsBack() throws Exception {
		Lead lead = unsubscribedLead();
		LiveChannels.stopSmtp();

		Response during = submittedAgain(lead);

		assertThat(during.status()).isEqualTo(200);
		assertThat(awaitFailedTry(lead)).as("kept to be tried again, not given up").isEqualTo("ASKED");
		assertThat(submittedAgain(lead).status()).isEqualTo(200);
		assertThat(requests(lead)).as("the request waiting blocks a second ask").hasSize(1);
		LiveChannels.startSmtp();
		this.delivery.sendDue();
		assertThat(requests(lead)).as("not tried again before its wait").containsExactly("ASKED");

		later(Duration.ofMinutes(1));
		this.delivery.sendDue();
		later(Duration.ofHours(2));
		this.delivery.sendDue();

		MimeMessage mail = onlyMail(lead);
		assertThat(requests(lead)).containsExactly("SENT");
		assertThat(post(find(RESUBSCRIBE, Mails.part(mail, "text/plain"))).status()).isEqualTo(200);
		assertThat(consentEmail(lead)).isTrue();
	}

	/** An outage longer than the link works: the email is given up, and the lead's next form asks again. */
	@Test
	void anEmailThatCannotLeaveBeforeItsLinkExpiresIsGivenUpAndTheNextFormAsksAgain() throws Exception {
		Lead lead = unsubscribedLead();
		LiveChannels.stopSmtp();
		submittedAgain(lead);
		awaitFailedTry(lead);

		for (int hour = 0; hour < 24; hour++) {
			later(Duration.ofHours(1));
			this.delivery.sendDue();
		}

		assertThat(requests(lead)).containsExactly("FAILED");
		LiveChannels.startSmtp();
		submittedAgain(lead);
		assertThat(mailsTo(lead, 1)).hasSize(1);
		assertThat(requests(lead)).containsExactly("FAILED", "SENT");
	}

	/** The node that took the form stopped between its commit and the email: a look of any node sends it. */
	@Test
	void aRequestStoredButNeverSentIsSentByTheLook() throws Exception {
		Lead lead = unsubscribedLead();
		long id = storedUnsent(lead);

		this.delivery.sendDue();
		this.delivery.sendDue();

		MimeMessage mail = onlyMail(lead);
		assertThat(Mails.part(mail, "text/plain")).contains(this.links.resubscribe(id, lead.id()));
		assertThat(requests(lead)).containsExactly("SENT");
	}

	/**
	 * A node of the release before sends its form's email itself, right after its commit: a look
	 * leaves such a request (without a time for its next try) to it a while, then sends it.
	 */
	@Test
	void aRequestOfANodeOfTheEarlierReleaseIsLeftToItAWhileThenSent() throws Exception {
		Lead lead = unsubscribedLead();
		this.jdbc.sql("""
				insert into email_resubscription (lead_id, source, status, asked_at)
				values (?, 'submitted again: api', 'ASKED', ?)""").params(lead.id(), Timestamp.from(now())).update();

		this.delivery.sendDue();
		assertThat(requests(lead)).containsExactly("ASKED");
		later(Duration.ofMinutes(5));
		this.delivery.sendDue();

		assertThat(mailsTo(lead, 1)).hasSize(1);
		assertThat(requests(lead)).containsExactly("SENT");
	}

	/** Two nodes looking at the same moment: one claims the try, the lead gets one email. */
	@Test
	void looksOfTwoNodesAtOnceSendARequestOnce() throws Exception {
		Lead lead = unsubscribedLead();
		storedUnsent(lead);

		AtOnce.call(2, (i) -> this.delivery.sendDue());

		assertThat(mailsTo(lead, 1)).hasSize(1);
		assertThat(requests(lead)).containsExactly("SENT");
		assertThat(this.jdbc.sql("select tries from email_resubscription where lead_id = ?")
			.param(lead.id())
			.query(Integer.class)
			.single()).isOne();
	}

	/**
	 * A server trickling its greeting a byte at a time, within the read timeout, holds the try of
	 * the form's email until the send is cut off (two tries of 6 times NURTURE_SMTP_TIMEOUT, 24 s
	 * here). A look of another node past the first wait after a failure finds the request still
	 * claimed and leaves it: the lead gets the email once, when the server is back.
	 */
	@Test
	void aTryStillUnderWayIsLeftAloneByTheLooksOfOtherNodes() throws Exception {
		Lead lead = unsubscribedLead();
		try (FaultySmtpServer trickling = FaultySmtpServer
			.inPlaceOfGreenMail(FaultySmtpServer.trickling(Duration.ofMillis(500)))) {
			submittedAgain(lead);
			awaitConnection(trickling);
			assertThat(tries(lead)).as("claimed by the node's sending thread").isOne();

			// past the first wait after a failed try, a minute, which alone held the claim before
			later(Duration.ofMinutes(1).plusSeconds(1));
			assertThat(this.delivery.sendDue()).isZero();

			assertThat(tries(lead)).as("not claimed again while its send may last").isOne();
			assertThat(trickling.connections()).isOne();
		}
		assertThat(awaitFailedTry(lead)).isEqualTo("ASKED");
		LiveChannels.startSmtp();
		later(Duration.ofMinutes(5));
		this.delivery.sendDue();

		assertThat(mailsTo(lead, 1)).hasSize(1);
		assertThat(requests(lead)).containsExactly("SENT");
	}

	/**
	 * An operator sees emails waiting through an outage, a backlog more than a look takes, and
	 * emails given up, at {@code /actuator/prometheus}; counted by the looks.
	 */
	@Test
	void theMetricsShowEmailsWaitingOverdueAndGivenUp() throws Exception {
		Lead lead = unsubscribedLead();
		// what other tests left waiting is given up, so that these counts are this test's
		this.jdbc.sql("update email_resubscription set status = 'FAILED' where status = 'ASKED'").update();
		this.delivery.sendDue();
		double waiting = metric("nurture_resubscribe_waiting");
		double expired = metric("nurture_resubscribe_given_up_total{reason=\"expired\"}");
		double refused = metric("nurture_resubscribe_given_up_total{reason=\"refused\"}");
		assertThat(metric("nurture_resubscribe_overdue")).as("whatever other tests left is tried by now").isZero();
		LiveChannels.stopSmtp();
		for (int i = 0; i <= ResubscribeDelivery.BATCH; i++) {
			storedUnsent(lead);
		}

		this.delivery.sendDue();

		assertThat(metric("nurture_resubscribe_waiting")).isEqualTo(waiting + ResubscribeDelivery.BATCH + 1);
		assertThat(metric("nurture_resubscribe_overdue")).as("due, and more than a look takes").isOne();

		later(Duration.ofHours(25));
		this.delivery.sendDue();
		this.delivery.sendDue();

		assertThat(metric("nurture_resubscribe_waiting")).isEqualTo(waiting);
		assertThat(metric("nurture_resubscribe_overdue")).isZero();
		assertThat(metric("nurture_resubscribe_given_up_total{reason=\"expired\"}"))
			.isEqualTo(expired + ResubscribeDelivery.BATCH + 1);
		assertThat(metric("nurture_resubscribe_given_up_total{reason=\"refused\"}")).isEqualTo(refused);
		assertThat(requests(lead)).containsOnly("FAILED");
	}

	/**
	 * A lead that unsubscribed with the one-click link of an email it got. Its journey's emails are
	 * left unsent: only the submissions here talk to the SMTP server.
	 */
	private Lead unsubscribedLead() {
		String email = "resubscribe-" + UUID.randomUUID() + "@example.com";
		UUID id = UUID.fromString(this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"Ada","consent":{"email":true}}""".formatted(email)).json().get("id").asText());
		String link = this.links.unsubscribe(1, id);
		Lead lead = new Lead(id, email, link.substring(link.indexOf("/t/u/")));
		assertThat(post(lead.unsubscribe()).status()).isEqualTo(200);
		assertThat(consentEmail(lead)).isFalse();
		return lead;
	}

	private Response submittedAgain(Lead lead) {
		return this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"Ada","consent":{"email":true}}""".formatted(lead.email()));
	}

	/** The lead's requests to get email again made that long ago. */
	private void askedAgo(Lead lead, Duration ago) {
		this.jdbc.sql("update email_resubscription set asked_at = ? where lead_id = ?")
			.params(Timestamp.from(Instant.now().minus(ago)), lead.id())
			.update();
	}

	/** The page's button, or a one-click client: a form post without login or cookie. */
	private Response post(String path) {
		return this.api.send(this.api.request(path, "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("")));
	}

	/** The only email the lead got, once the sending thread sent it. */
	private MimeMessage onlyMail(Lead lead) throws Exception {
		List<MimeMessage> received = mailsTo(lead, 1);
		assertThat(received).hasSize(1);
		return received.get(0);
	}

	/**
	 * The emails the lead got, once there are at least {@code count}, or as many as came within
	 * 20 seconds: polled, as the node's sending thread sends them after the commit.
	 */
	private List<MimeMessage> mailsTo(Lead lead, int count) throws Exception {
		List<MimeMessage> received = new ArrayList<>();
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			received.clear();
			for (MimeMessage mail : LiveChannels.smtp().getReceivedMessages()) {
				if (mail.getAllRecipients()[0].toString().equals(lead.email())) {
					received.add(mail);
				}
			}
			if (received.size() >= count || System.nanoTime() > end) {
				return received;
			}
			Thread.sleep(POLL.toMillis());
		}
	}

	/** What became of the lead's requests, oldest first. */
	private List<String> requests(Lead lead) {
		return this.jdbc.sql("select status from email_resubscription where lead_id = ? order by id")
			.param(lead.id())
			.query(String.class)
			.list();
	}

	/**
	 * Waits until the try of the lead's request by the node's sending thread has failed (polled,
	 * for 20 seconds at most); answers the request's status then.
	 */
	private String awaitFailedTry(Lead lead) throws InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < end) {
			var request = this.jdbc.sql("select status, last_error from email_resubscription where lead_id = ?")
				.param(lead.id())
				.query()
				.singleRow();
			if (request.get("LAST_ERROR") != null) {
				return (String) request.get("STATUS");
			}
			Thread.sleep(POLL.toMillis());
		}
		throw new AssertionError("The try of the email to " + lead.email() + " never failed");
	}

	/** A request committed, as a node that stopped before it sent the email leaves it. */
	private long storedUnsent(Lead lead) {
		var id = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into email_resubscription (lead_id, source, status, asked_at, next_try_at)
				values (?, 'submitted again: api', 'ASKED', ?, ?)""")
			.params(lead.id(), Timestamp.from(now()), Timestamp.from(now()))
			.update(id, "id");
		return id.getKeyAs(Long.class);
	}

	/** The engine's clock, which the sending and its waits go by, moved on. */
	private static void later(Duration wait) {
		ClockUtil.setCurrentTime(Date.from(now().plus(wait)));
	}

	/** Waits until the server took a connection (polled, for 20 seconds at most). */
	private static void awaitConnection(FaultySmtpServer server) throws InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (server.connections() == 0) {
			assertThat(System.nanoTime()).as("a connection to the trickling SMTP server").isLessThan(end);
			Thread.sleep(POLL.toMillis());
		}
	}

	private int tries(Lead lead) {
		return this.jdbc.sql("select tries from email_resubscription where lead_id = ?")
			.param(lead.id())
			.query(Integer.class)
			.single();
	}

	/** A meter's value as {@code /actuator/prometheus} shows it now; {@code name} may carry its tags. */
	private double metric(String name) {
		Response scraped = this.api.get("/actuator/prometheus");
		assertThat(scraped.status()).isEqualTo(200);
		Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scraped.body());
		assertThat(value.find()).as("%s in %s", name, scraped.body()).isTrue();
		return Double.parseDouble(value.group(1));
	}

	private static Instant now() {
		return ClockUtil.now().toInstant();
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

	private List<String> consentHistory(Lead lead) {
		return this.jdbc.sql("""
				select channel || case when granted then ' true ' else ' false ' end || source
				from consent where lead_id = ? order by id""")
			.param(lead.id())
			.query(String.class)
			.list();
	}

	/** A lead, and the unsubscribe link it followed. */
	private record Lead(UUID id, String email, String unsubscribe) {
	}

}
