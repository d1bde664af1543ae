package io.nurtureflow.channel.sms;

import java.util.Map;
import java.util.Optional;

import com.twilio.exception.ApiException;

/**
 * Which of Twilio's refusals are final. These say the number itself is wrong, unreachable or
 * opted out; sending again, now or in an hour, gets the same answer.
 */
final class TwilioRefusal {

	private static final Map<Integer, String> PERMANENT = Map.of(21211, "the number is not a valid phone number",
			21614, "the number is not a mobile number", 21610, "the recipient has opted out (replied STOP)", 21612,
			"the number cannot be reached from our sender", 21408, "sending to the number's region is not enabled");

	/** Twilio's own text is kept short: the touch's reason column holds 500 characters. */
	private static final int MAX_DETAIL = 200;

	private TwilioRefusal() {
	}

	/** Why the refusal is final, with Twilio's error code; empty when a retry may succeed. */
	static Optional<String> permanent(ApiException ex) {
		Integer code = ex.getCode();
		if (!Integer.valueOf(400).equals(ex.getStatusCode()) || code == null || !PERMANENT.containsKey(code)) {
			return Optional.empty();
		}
		return Optional.of(PERMANENT.get(code) + " (Twilio error " + code + ": "
				+ abbreviate(ex.getMessage()) + ")");
	}

	private static String abbreviate(String text) {
		if (text == null) {
			return "no message";
		}
		return (text.length() <= MAX_DETAIL) ? text : text.substring(0, MAX_DETAIL - 3) + "...";
	}

}
