package io.nurtureflow.channel.sms;

import com.twilio.exception.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Twilio errors end a touch for good, and which are left to the step's retries. */
class TwilioRefusalTest {

	@Test
	void aBadUnreachableOrOptedOutNumberIsFinal() {
		for (int code : new int[] { 21211, 21614, 21610, 21612, 21408 }) {
			assertThat(TwilioRefusal.permanent(refusal(400, code))).as("error %d", code)
				.hasValueSatisfying((why) -> assertThat(why).contains("Twilio error " + code));
		}
	}

	@Test
	void throttlingOutagesAndOtherErrorsAreLeftToRetries() {
		assertThat(TwilioRefusal.permanent(refusal(429, 20429))).isEmpty();
		assertThat(TwilioRefusal.permanent(refusal(500, 20500))).isEmpty();
		assertThat(TwilioRefusal.permanent(refusal(503, 21211))).isEmpty();
		assertThat(TwilioRefusal.permanent(new ApiException("Server Error, no content", 502))).isEmpty();
		assertThat(TwilioRefusal.permanent(new ApiException("connection reset"))).isEmpty();
	}

	private static ApiException refusal(int status, int code) {
		return new ApiException("Twilio says no", code, "https://www.twilio.com/docs/errors/" + code, status, null);
	}

}
