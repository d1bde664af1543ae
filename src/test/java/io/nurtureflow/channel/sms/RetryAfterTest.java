package io.nurtureflow.channel.sms;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a provider's {@code Retry-After} makes a touch wait. */
class RetryAfterTest {

	private static final Instant NOW = Instant.parse("2030-06-04T14:00:00Z");

	@Test
	void secondsAndHttpDatesAreBothRead() {
		assertThat(RetryAfter.parse("120", NOW)).hasValue(Duration.ofMinutes(2));
		assertThat(RetryAfter.parse(" 5 ", NOW)).hasValue(Duration.ofSeconds(5));
		assertThat(RetryAfter.parse("Tue, 04 Jun 2030 14:10:00 GMT", NOW)).hasValue(Duration.ofMinutes(10));
	}

	@Test
	void noWaitAPastDateOrAnUnreadableValueLeaveItToTheRetryCycle() {
		assertThat(RetryAfter.parse("0", NOW)).isEmpty();
		assertThat(RetryAfter.parse("Tue, 04 Jun 2030 13:00:00 GMT", NOW)).isEmpty();
		assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
		assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
		assertThat(RetryAfter.parse(null, NOW)).isEmpty();
	}

	@Test
	void aWaitLongerThanADayIsCutToADay() {
		assertThat(RetryAfter.parse("999999999", NOW)).hasValue(RetryAfter.LONGEST);
		assertThat(RetryAfter.parse("Fri, 01 Jan 2100 00:00:00 GMT", NOW)).hasValue(Duration.ofDays(1));
	}

}
