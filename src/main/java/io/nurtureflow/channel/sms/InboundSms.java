package io.nurtureflow.channel.sms;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import io.nurtureflow.engagement.Engagement;
import io.nurtureflow.engagement.EngagementRecorder;
import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.lead.LeadConsent;
import io.nurtureflow.lead.LeadConsent.ConsentChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What a lead texts back. The carrier keywords (the whole message, in any case) change SMS
 * consent for every lead at that number, since a number cannot say which of them is texting;
 * HELP is answered; anything else is a reply. Each event carries the message's SID, so a
 * replayed webhook is one event.
 */
@Component
class InboundSms {

	private static final Logger log = LoggerFactory.getLogger(InboundSms.class);

	private static final Set<String> OPT_OUT = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");

	private static final Set<String> OPT_IN = Set.of("START", "UNSTOP");

	private static final String HELP = "HELP";

	private final LeadConsent consent;

	private final EngagementRecorder engagement;

	private final TwilioProperties properties;

	private final Clock clock;

	InboundSms(LeadConsent consent, EngagementRecorder engagement, TwilioProperties properties, Clock clock) {
		this.consent = consent;
		this.engagement = engagement;
		this.properties = properties;
		this.clock = clock;
	}

	/** Acts on a message and returns the text to answer with, if any. */
	Optional<String> receive(String from, String body, String messageSid) {
		List<UUID> leads = (from != null) ? this.consent.leadsWithPhone(e164(from)) : List.of();
		if (leads.isEmpty()) {
			log.info("SMS {} from a number no lead has; ignored", messageSid);
			return Optional.empty();
		}
		String text = (body != null) ? body : "";
		String keyword = text.strip().toUpperCase(Locale.ROOT);
		if (OPT_OUT.contains(keyword) || OPT_IN.contains(keyword)) {
			boolean granted = OPT_IN.contains(keyword);
			for (UUID lead : leads) {
				String dedupeKey = dedupeKey(messageSid, lead);
				// a message acted on before, sent again (Twilio's retry, a replay), must not undo what
				// came after it: a START repeated after a later STOP
				if (dedupeKey == null || !this.engagement.stored(dedupeKey)) {
					this.consent.set(lead, ConsentChannel.SMS, granted, "SMS " + keyword);
				}
				record(lead, granted ? EngagementType.SMS_OPTED_IN : EngagementType.SMS_OPTED_OUT, keyword, messageSid);
			}
			return Optional.empty();
		}
		if (keyword.equals(HELP)) {
			return Optional.of(this.properties.helpText());
		}
		leads.forEach((lead) -> record(lead, EngagementType.SMS_REPLIED, text, messageSid));
		return Optional.empty();
	}

	private void record(UUID lead, EngagementType type, String detail, String messageSid) {
		this.engagement.record(new Engagement(lead, null, type, "SMS", detail, this.clock.instant(),
				dedupeKey(messageSid, lead)));
	}

	private static String dedupeKey(String messageSid, UUID lead) {
		return (messageSid != null && !messageSid.isBlank()) ? "twilio:" + messageSid + ":" + lead : null;
	}

	/** Twilio sends E.164 already; this only guards against stray spaces or formatting. */
	static String e164(String number) {
		PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
		try {
			return phoneNumbers.format(phoneNumbers.parse(number, "ZZ"), PhoneNumberFormat.E164);
		}
		catch (NumberParseException ex) {
			return number.strip();
		}
	}

}
