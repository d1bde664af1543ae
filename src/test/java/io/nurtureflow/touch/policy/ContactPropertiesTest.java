package io.nurtureflow.touch.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

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

	/** Empty hours mean any time of day; the days given still hold. */
	@Test
	void daysWithoutHoursStillKeepTheChannelToThoseDays() {
		ZoneId berlin = ZoneId.of("Europe/Berlin");
		Instant saturdayNoon = LocalDateTime.parse("2026-11-28T12:00").atZone(berlin).toInstant();
		Instant mondayMidnight = LocalDateTime.parse("2026-11-30T00:00").atZone(berlin).toInstant();
		this.context.withPropertyValues("nurture.contact.email-hours=", "nurture.contact.email-days=MON-FRI")
			.run((context) -> {
				ContactWindow email = context.getBean(ContactProperties.class).window(Channel.EMAIL).orElseThrow();

				assertThat(email.allows(saturdayNoon, berlin)).isFalse();
				assertThat(email.nextOpening(saturdayNoon, berlin)).isEqualTo(mondayMidnight);
				assertThat(email.allows(LocalDateTime.parse("2026-11-27T23:59:59").atZone(berlin).toInstant(), berlin))
					.isTrue();
			});
	}

	@Test
	void callsWithoutHoursMayFallDueAtAnyMinuteOfTheDay() {
		ZoneId berlin = ZoneId.of("Europe/Berlin");
		Instant lateFriday = LocalDateTime.parse("2026-11-27T23:59:30").atZone(berlin).toInstant();
		this.context.withPropertyValues("nurture.contact.call-hours=", "nurture.contact.call-days=MON-SUN")
			.run((context) -> assertThat(context.getBean(ContactProperties.class).callWindow().allows(lateFriday, berlin))
				.isTrue());
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
			email-days=WEEKDAYS      | nurture.contact.email-days (WEEKDAYS)
			""")
	void aPolicyThatCannotBeKeptStopsTheStartNamingIt(String setting, String refusal) {
		assertThat(Settings.refusalOf(this.context, "nurture.contact." + setting)).contains(refusal);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ContactProperties.class)
	static class Properties {

	}

}
