package io.nurtureflow.channel.sms;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.nurtureflow.lead.Lead;
import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.ComposedMessage;
import io.nurtureflow.touch.ContentTemplates;
import io.nurtureflow.touch.ContentTemplates.Part;
import io.nurtureflow.touch.PermanentSendFailure;
import io.nurtureflow.touch.TouchChannel;
import io.nurtureflow.tracking.TrackingLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * SMS through Twilio when an account, a token and a sender are configured, else record-only.
 * Twilio's answers that no retry can change (a bad or unreachable number, a recipient who
 * opted out) fail the touch for good; anything else (429, 5xx, no connection) is thrown for the
 * step's retries, after a single request (see {@link SingleAttemptHttpClient}).
 */
@Component
class TwilioSmsChannel implements TouchChannel {

	private static final Logger log = LoggerFactory.getLogger(TwilioSmsChannel.class);

	static final String STOP_HINT = " Reply STOP to opt out.";

	private final ContentTemplates templates;

	private final TrackingLinks links;

	private final TwilioProperties properties;

	private final TwilioRestClient client;

	TwilioSmsChannel(ContentTemplates templates, TrackingLinks links, TwilioProperties properties, Clock clock) {
		this.templates = templates;
		this.links = links;
		this.properties = properties;
		this.client = properties.configured() ? client(properties, clock) : null;
		if (this.client != null) {
			log.info("SMS is sent through Twilio account {} {}", properties.accountSid(),
					properties.usesMessagingService() ? "by messaging service " + properties.messagingServiceSid()
							: "from " + properties.from());
		}
		else {
			log.info("SMS is recorded, not sent: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are not set");
		}
	}

	@Override
	public Channel channel() {
		return Channel.SMS;
	}

	@Override
	public boolean live() {
		return this.client != null;
	}

	@Override
	public ComposedMessage compose(long touchId, Lead lead, String content) {
		String text = this.templates.render(content, Part.SMS, lead)
			.orElseThrow(() -> new IllegalStateException("Content piece '" + content + "' has no sms.mustache"));
		return new ComposedMessage(lead.phone(), null, text.strip() + STOP_HINT, null, Map.of());
	}

	@Override
	public String transmit(ComposedMessage message) {
		PhoneNumber to = new PhoneNumber(message.recipient());
		MessageCreator creator = this.properties.usesMessagingService()
				? Message.creator(to, this.properties.messagingServiceSid(), message.text())
				: Message.creator(to, new PhoneNumber(this.properties.from()), message.text());
		creator.setStatusCallback(URI.create(this.links.publicUrl(TwilioWebhookController.STATUS_PATH)));
		try {
			return creator.create(this.client).getSid();
		}
		catch (ApiException ex) {
			TwilioRefusal.permanent(ex).ifPresent((why) -> {
				throw new PermanentSendFailure("Twilio refused the SMS to " + message.recipient() + ": " + why, ex);
			});
			throw ex;
		}
	}

	private static TwilioRestClient client(TwilioProperties properties, Clock clock) {
		HttpClient network = (properties.apiBaseUrl() != null) ? new RedirectingHttpClient(properties.apiBaseUrl())
				: new NetworkHttpClient();
		return new TwilioRestClient.Builder(properties.accountSid(), properties.authToken())
			.httpClient(new SingleAttemptHttpClient(network, clock))
			.build();
	}

}
