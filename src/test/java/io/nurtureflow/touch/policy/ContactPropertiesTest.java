package io.nurtureflow.touch.policy;

import java.time.Duration;
import java.time.LocalTime;

import io.nurtureflow.support.Settings;
import io.nurtureflow.touch.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ContactPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@Test
	void windowsAndTheCapAreTakenAsGiven() {
		this.context
			.withPropertyValues("nurture.contact.frequency-cap=5", "nurture.contact.frequency-window=2d",
					"nurture.contact.sms-hours=09:00-20:00", "nurture.contact.sms-days=MON-SAT",
					"nurture.contact.email-hours=")
			.run((context) -> {
				ContactProperties contact = context.getBean(ContactProperties.class);

				assertThat(contact.frequencyCap()).isEqualTo(5);
				assertThat(contact.frequencyWindow()).isEqualTo(Duration.ofDays(2));
				assertThat(contact.window(Channel.SMS)).get()
					.extracting(ContactWindow::start, ContactWindow::end)
					.containsExactly(LocalTime.of(9, 0), LocalTime.of(20, 0));
				assertThat(contact.window(Channel.EMAIL)).isEmpty();
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			frequency-cap=0          | frequencyCap
			frequency-window=0s      | frequencyWindow
			frequency-window=-7d     | frequencyWindow
			sms-hours=8-21           | nurture.contact.sms-hours (8-21)
			sms-hours=21:00-08:00    | nurture.contact.sms-hours (21:00-08:00)
			sms-days=MON-XYZ         | nurture.contact.sms-days (MON-XYZ)
			email-hours=25:00-26:00  | nurture.contact.email-hours (25:00-26:00)
			call-hours=08:00         | nurture.contact.call-hours (08:00)
			""")
	void aPolicyThatCannotBeKeptStopsTheStartNamingIt(String setting, String refusal) {
		assertThat(Settings.refusalOf(this.context, "nurture.contact." + setting)).contains(refusal);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ContactProperties.class)
	static class Properties {

	}

}
