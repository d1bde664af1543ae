package io.nurtureflow.journey;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.datatype.DatatypeFactory;

/**
 * Checks a configured wait the way the engine will read it, so that a value it cannot use stops
 * the start instead of failing the first timer or retry that needs it. Durations are read with a
 * {@link DatatypeFactory}, as the engine's {@code DurationHelper} reads timers and retry cycles.
 */
final class TimerWaits {

	private static final Pattern REPEATED = Pattern.compile("R(\\d{1,4})/(.+)");

	private TimerWaits() {
	}

	/** A timer's duration: ISO 8601 and longer than nothing. A blank one is left to its {@code @NotBlank}. */
	static void require(String setting, String wait) {
		if (wait == null || wait.isBlank()) {
			return;
		}
		if (!readable(wait)) {
			throw new IllegalArgumentException(
					setting + " must be an ISO 8601 duration such as P30D or PT12H, longer than nothing, not " + wait);
		}
	}

	/**
	 * A retry cycle as the engine reads {@code failedJobRetryTimeCycle}: {@code R5/PT1M} (five
	 * retries a minute apart) or a list of waits ({@code PT1M,PT10M,PT1H}; the engine trims each),
	 * each longer than nothing.
	 */
	static void requireRetryCycle(String setting, String cycle) {
		if (cycle == null || cycle.isBlank()) {
			return;
		}
		Matcher repeated = REPEATED.matcher(cycle);
		List<String> waits = repeated.matches() ? List.of(repeated.group(2))
				: Arrays.stream(cycle.split(",", -1)).map(String::trim).toList();
		boolean retries = !repeated.matches() || Integer.parseInt(repeated.group(1)) > 0;
		if (!retries || !waits.stream().allMatch(TimerWaits::readable)) {
			throw new IllegalArgumentException(setting
					+ " must read like R5/PT1M or PT1M,PT10M,PT1H (at least one retry, each wait longer than nothing), not "
					+ cycle);
		}
	}

	private static boolean readable(String wait) {
		try {
			return DatatypeFactory.newDefaultInstance().newDuration(wait).getSign() > 0;
		}
		catch (IllegalArgumentException | UnsupportedOperationException ex) {
			return false;
		}
	}

}
