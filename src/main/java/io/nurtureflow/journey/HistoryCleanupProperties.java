package io.nurtureflow.journey;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When the engine removes the history of ended journeys whose diagram's
 * {@code historyTimeToLive} has passed, and how much it takes at a time.
 *
 * @param window the hours the cleanup runs in every day, in the server's time zone
 * ({@code 00:00-06:00}; {@code 22:00-04:00} runs over midnight); {@code off}: never on its own,
 * only when an operator starts it ({@code POST /engine-rest/history/cleanup})
 * @param parallelism cleanup jobs that run side by side, 1 to 8; each takes an executor thread
 * @param batchSize rows of each kind one run of a cleanup job removes, 1 to 500 (the engine's
 * limit)
 */
@Validated
@ConfigurationProperties("nurture.history-cleanup")
record HistoryCleanupProperties(
		@NotNull @Pattern(regexp = HistoryCleanupProperties.OFF + "|" + HistoryCleanupProperties.WINDOW,
				message = "must read like 00:00-06:00, or be off") @DefaultValue("00:00-06:00") String window,
		@Min(1) @Max(8) @DefaultValue("1") int parallelism, @Min(1) @Max(500) @DefaultValue("500") int batchSize) {

	static final String OFF = "off";

	static final String WINDOW = "([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]";

	HistoryCleanupProperties {
		if (window != null && window.matches(WINDOW) && window.substring(0, 5).equals(window.substring(6))) {
			throw new IllegalArgumentException("A history cleanup window must not end when it starts: " + window);
		}
	}

	/** Whether the cleanup runs every day in its window, not only when started by hand. */
	boolean scheduled() {
		return !OFF.equals(this.window);
	}

	String start() {
		return this.window.substring(0, 5);
	}

	String end() {
		return this.window.substring(6);
	}

}
