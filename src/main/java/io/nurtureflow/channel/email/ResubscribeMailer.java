package io.nurtureflow.channel.email;

import java.time.Duration;
import java.util.Map;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.ResubscribeMail;
import io.nurtureflow.touch.ComposedMessage;
import io.nurtureflow.touch.ContentTemplates;
import io.nurtureflow.touch.ContentTemplates.Part;
import io.nurtureflow.touch.PermanentSendFailure;
import io.nurtureflow.tracking.TrackingLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The email asking a lead that withdrew email to confirm it wants email again: the content piece
 * {@code resubscribe}, with the signed link that confirms as {@code {{confirmLink}}}. It answers
 * the lead's own request and is no marketing, so it carries no click tracking, no open pixel and
 * no unsubscribe link: the lead is unsubscribed, and ignoring it changes nothing.
 */
@Component
class ResubscribeMailer implements ResubscribeMail {

	private static final Logger log = LoggerFactory.getLogger(ResubscribeMailer.class);

	static final String CONTENT = "resubscribe";

	private final EmailChannel email;

	private final ContentTemplates templates;

	private final TrackingLinks links;

	ResubscribeMailer(EmailChannel email, ContentTemplates templates, TrackingLinks links) {
		this.email = email;
		this.templates = templates;
		this.links = links;
	}

	@Override
	public boolean live() {
		return this.email.live();
	}

	/** Two sends, as {@link #send} tries twice. */
	@Override
	public Duration longestSend() {
		return this.email.live() ? this.email.sendDeadline().multipliedBy(2) : Duration.ZERO;
	}

	@Override
	public Message compose(long id, Lead lead) {
		Map<String, String> link = Map.of("confirmLink", this.links.resubscribe(id, lead.id()));
		return new Message(lead.email(), required(Part.SUBJECT, lead, link), required(Part.TEXT, lead, link),
				this.templates.render(CONTENT, Part.HTML, lead, link).orElse(null));
	}

	/**
	 * Tried twice at once: the first try may fail only because the server dropped the connection
	 * this thread kept open (it restarted), and the failed try closed that connection; waiting for
	 * the next try of the request would delay the email for nothing. A recipient the server
	 * refuses is not tried again.
	 */
	@Override
	public String send(Message message) {
		ComposedMessage mail = new ComposedMessage(message.recipient(), message.subject(), message.text(),
				message.html(), Map.of());
		try {
			try {
				return this.email.transmit(mail);
			}
			catch (PermanentSendFailure ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				log.debug("Sending the email asking {} to confirm failed once; trying again", message.recipient(), ex);
				return this.email.transmit(mail);
			}
		}
		catch (PermanentSendFailure ex) {
			throw new Refused(ex.getMessage(), ex);
		}
	}

	private String required(Part part, Lead lead, Map<String, String> link) {
		return this.templates.render(CONTENT, part, lead, link)
			.orElseThrow(() -> new IllegalStateException(
					"Content piece '" + CONTENT + "' has no " + part.name().toLowerCase() + ".mustache"));
	}

}
