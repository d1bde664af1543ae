package io.nurtureflow.touch.policy;

import java.time.Duration;
import java.time.LocalTime;

import io.nurtureflow.touch.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ContactPropertiesTest {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

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
	@ValueSource(strings = { "frequency-cap=0|frequencyCap", "frequency-window=0s|frequencyWindow",
			"frequency-window=-7d|frequencyWindow", "sms-hours=8-21|nurture.contact.sms-hours",
			"sms-hours=21:00-08:00|nurture.contact.sms-hours", "sms-days=MON-XYZ|nurture.contact.sms-days",
			"email-hours=25:00-26:00|nurture.contact.email-hours", "call-hours=08:00|nurture.contact.call-hours" })
	void aPolicyThatCannotBeKeptStopsTheStartNamingIt(String settingAndMessage) {
		String setting = settingAndMessage.substring(0, settingAndMessage.indexOf('|'));
		String named = settingAndMessage.substring(settingAndMessage.indexOf('|') + 1);
		this.context.withPropertyValues("nurture.contact." + setting).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().message().contains(named);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ContactProperties.class)
	static class Properties {

	}

}
