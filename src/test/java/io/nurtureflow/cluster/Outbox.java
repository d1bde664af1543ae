package io.nurtureflow.cluster;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.nurtureflow.support.NodeCluster;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * What actually left the nodes, counted where it arrived: every email at the SMTP server by
 * recipient and subject, every SMS at Twilio by number.
 */
final class Outbox {

	/** The acknowledgement's subject for a lead without a first name. */
	static final String ACKNOWLEDGEMENT = "Thanks — we got your request";

	static final String SLA_MISSED = "Call SLA missed: ";

	private final Map<Delivery, Integer> emails = new HashMap<>();

	private final Map<String, Integer> sms = new HashMap<>();

	private Outbox() {
	}

	static Outbox of(NodeCluster cluster) {
		Outbox outbox = new Outbox();
		try {
			for (MimeMessage message : cluster.smtp().getReceivedMessages()) {
				for (Address recipient : message.getAllRecipients()) {
					outbox.emails.merge(new Delivery(recipient.toString(), message.getSubject()), 1, Integer::sum);
				}
			}
		}
		catch (MessagingException ex) {
			throw new IllegalStateException("Unreadable message at the SMTP server", ex);
		}
		for (var request : cluster.twilio().findAll(postRequestedFor(urlPathEqualTo(NodeCluster.MESSAGES_PATH)))) {
			outbox.sms.merge(formField(request.getBodyAsString(), "To"), 1, Integer::sum);
		}
		return outbox;
	}

	/** What arrived about one lead: its acknowledgement email and SMS, and the managers' notice. */
	LeadDeliveries about(String email, String phone) {
		return new LeadDeliveries(this.emails.getOrDefault(new Delivery(email, ACKNOWLEDGEMENT), 0),
				this.sms.getOrDefault(phone, 0),
				this.emails.getOrDefault(new Delivery(NodeCluster.MANAGER, SLA_MISSED + email), 0));
	}

	int emailCount() {
		return this.emails.values().stream().mapToInt(Integer::intValue).sum();
	}

	int smsCount() {
		return this.sms.values().stream().mapToInt(Integer::intValue).sum();
	}

	private static String formField(String body, String name) {
		for (String pair : body.split("&")) {
			String[] parts = pair.split("=", 2);
			if (URLDecoder.decode(parts[0], StandardCharsets.UTF_8).equals(name)) {
				return URLDecoder.decode((parts.length > 1) ? parts[1] : "", StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	private record Delivery(String recipient, String subject) {
	}

	record LeadDeliveries(int acknowledgementEmails, int acknowledgementSms, int slaNotices) {

		static final LeadDeliveries EACH_ONCE = new LeadDeliveries(1, 1, 1);

	}

}
