package io.nurtureflow.channel.sms;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			-            | -       | -            | -            | false | false
			AC0123456789 | a-token | +15005550006 | -            | true  | false
			AC0123456789 | a-token | -            | MG0123456789 | true  | true
			AC0123456789 | a-token | +15005550006 | MG0123456789 | true  | true
			""")
	void noneOrAllOfAnAccountATokenAndASenderAreTakenAsGiven(String account, String token, String from,
			String service, boolean configured, boolean messagingService) {
		this.context.withPropertyValues(settings(account, token, from, service)).run((context) -> {
			TwilioProperties twilio = context.getBean(TwilioProperties.class);

			assertThat(twilio.configured()).isEqualTo(configured);
			assertThat(twilio.usesMessagingService()).isEqualTo(messagingService);
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			AC0123456789 | -       | -            | -            | TWILIO_AUTH_TOKEN, TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID
			AC0123456789 | a-token | -            | -            | TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID
			AC0123456789 | a-token | ' '          | -            | TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID
			-            | a-token | +15005550006 | -            | TWILIO_ACCOUNT_SID
			AC0123456789 | -       | +15005550006 | -            | TWILIO_AUTH_TOKEN
			-            | -       | -            | MG0123456789 | TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
			""")
	void halfATwilioConfigurationStopsTheStartNamingWhatIsMissing(String account, String token, String from,
			String service, String missing) {
		assertThat(Settings.refusalOf(this.context, settings(account, token, from, service)))
			.endsWith("missing: " + missing);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			4155550100      | TWILIO_FROM is '4155550100': give the sending number in E.164
			+1 415 555 0100 | TWILIO_FROM is '+1 415 555 0100': give the sending number in E.164
			+1-415-555-0100 | TWILIO_FROM is '+1-415-555-0100': give the sending number in E.164
			Nurtureflow Ltd | TWILIO_FROM is 'Nurtureflow Ltd': give the sending number in E.164
			""")
	void aSenderTwilioWouldRefuseStopsTheStart(String from, String refusal) {
		assertThat(Settings.refusalOf(this.context, settings("AC0123456789", "a-token", from, null)))
			.startsWith(refusal);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			+15005550006
			+442071838750
			72345
			Nurture
			ACME 2026
			""")
	void aNumberAShortCodeOrASenderIdIsTaken(String from) {
		this.context.withPropertyValues(settings("AC0123456789", "a-token", from, null))
			.run((context) -> assertThat(context.getBean(TwilioProperties.class).configured()).isTrue());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			SK0123456789 | -            | TWILIO_ACCOUNT_SID is an account's SID, starting AC
			AC0123456789 | 0123456789MG | TWILIO_MESSAGING_SERVICE_SID is a messaging service's SID, starting MG
			""")
	void aSidOfAnotherKindStopsTheStart(String account, String service, String refusal) {
		assertThat(Settings.refusalOf(this.context,
				settings(account, "a-token", (service != null) ? null : "+15005550006", service)))
			.startsWith(refusal);
	}

	/** The application's settings default every Twilio variable to empty, not to nothing. */
	private static String[] settings(String account, String token, String from, String service) {
		return new String[] { "nurture.twilio.account-sid=" + emptyFor(account),
				"nurture.twilio.auth-token=" + emptyFor(token), "nurture.twilio.from=" + emptyFor(from),
				"nurture.twilio.messaging-service-sid=" + emptyFor(service) };
	}

	private static String emptyFor(String value) {
		return (value != null) ? value : "";
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(TwilioProperties.class)
	static class Properties {

	}

}
