package io.nurtureflow.channel.sms;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An HTTP {@code Retry-After} value (RFC 9110, 10.2.3): a number of seconds or an HTTP date. */
final class RetryAfter {

	/** A longer wait is cut to this: one odd header must not park a touch for weeks. */
	static final Duration LONGEST = Duration.ofDays(1);

	private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

	private RetryAfter() {
	}

	/** How long to wait from {@code now}; empty when the value is unreadable or asks for no wait. */
	static Optional<Duration> parse(String value, Instant now) {
		if (value == null) {
			return Optional.empty();
		}
		String trimmed = value.trim();
		Duration wait;
		if (SECONDS.matcher(trimmed).matches()) {
			wait = Duration.ofSeconds(Long.parseLong(trimmed));
		}
		else {
			try {
				wait = Duration.between(now,
						ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			}
			catch (DateTimeParseException ex) {
				return Optional.empty();
			}
		}
		if (wait.isNegative() || wait.isZero()) {
			return Optional.empty();
		}
		return Optional.of((wait.compareTo(LONGEST) > 0) ? LONGEST : wait);
	}

}
