package io.nurtureflow.channel.sms;

import java.util.Map;

import io.nurtureflow.support.LiveChannels;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Without Twilio configured there is no token to check a signature against: nothing is trusted. */
class TwilioSignatureTest {

	@Test
	void withoutTwilioConfiguredNoWebhookIsTrusted() {
		var unconfigured = new TwilioProperties(null, null, null, null, "help", null);
		var signature = new TwilioSignature(null, unconfigured);
		var request = new MockHttpServletRequest("POST", "/webhooks/twilio/sms");
		request.addParameter("Body", "STOP");
		request.addHeader(TwilioSignature.HEADER,
				SmsScenarios.sign("https://nurture.example.com/webhooks/twilio/sms",
						Map.of("Body", "STOP"), LiveChannels.TWILIO_TOKEN));

		assertThat(signature.verified(request)).isEmpty();
	}

}
