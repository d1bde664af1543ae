package io.nurtureflow.channel.sms;

import java.net.URI;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Twilio. Without an account, a token and a sender, SMS runs in record-only mode and inbound
 * webhooks are refused; some of them without the others stop the start.
 *
 * @param from the sending number (E.164), a short code or an alphanumeric sender id; or leave
 * it empty and give a messaging service
 * @param messagingServiceSid a Twilio messaging service that picks the sender; used when set
 * @param helpText the answer to an inbound HELP
 * @param apiBaseUrl for tests only: when set, every Twilio API call goes to this base URL (a
 * WireMock server, say) instead of {@code https://api.twilio.com}, through the real SDK
 */
@Validated
@ConfigurationProperties("nurture.twilio")
record TwilioProperties(String accountSid, String authToken, String from, String messagingServiceSid,
		@NotBlank @DefaultValue("Nurtureflow - reply STOP to opt out, START to opt back in.") String helpText,
		URI apiBaseUrl) {

	/**
	 * What Twilio takes as a sender: a number in E.164, a short code, or an alphanumeric sender
	 * id (up to 11 letters, digits and spaces, one a letter at least).
	 */
	private static final Pattern SENDER = Pattern.compile("\\+[1-9]\\d{6,14}|\\d{5,6}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");

	TwilioProperties {
		boolean sender = present(from) || present(messagingServiceSid);
		boolean any = present(accountSid) || present(authToken) || sender;
		if (any && !(present(accountSid) && present(authToken) && sender)) {
			// half a configuration would record every SMS instead of sending it, without a word
			throw new IllegalArgumentException("Twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (or "
					+ "TWILIO_MESSAGING_SERVICE_SID) together, or none of them for record-only SMS; missing: "
					+ missing(accountSid, authToken, sender));
		}
		// Twilio refuses each message of a malformed setting: every SMS touch would fail, one by one
		if (present(accountSid) && !accountSid.startsWith("AC")) {
			throw new IllegalArgumentException("TWILIO_ACCOUNT_SID is an account's SID, starting AC; got one starting "
					+ accountSid.substring(0, Math.min(2, accountSid.length())));
		}
		if (present(messagingServiceSid) && !messagingServiceSid.startsWith("MG")) {
			throw new IllegalArgumentException("TWILIO_MESSAGING_SERVICE_SID is a messaging service's SID, starting MG; got '"
					+ messagingServiceSid + "'");
		}
		if (present(from) && !SENDER.matcher(from).matches()) {
			throw new IllegalArgumentException("TWILIO_FROM is '" + from + "': give the sending number in E.164 "
					+ "(+14155550100, no spaces or dashes), a short code, or an alphanumeric sender id of up to 11 characters");
		}
	}

	private static String missing(String accountSid, String authToken, boolean sender) {
		StringJoiner missing = new StringJoiner(", ");
		if (!present(accountSid)) {
			missing.add("TWILIO_ACCOUNT_SID");
		}
		if (!present(authToken)) {
			missing.add("TWILIO_AUTH_TOKEN");
		}
		if (!sender) {
			missing.add("TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID");
		}
		return missing.toString();
	}

	boolean configured() {
		return present(this.accountSid) && present(this.authToken)
				&& (present(this.from) || present(this.messagingServiceSid));
	}

	boolean usesMessagingService() {
		return present(this.messagingServiceSid);
	}

	private static boolean present(String value) {
		return value != null && !value.isBlank();
	}

}
