package io.nurtureflow.engagement;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of engagement once stored.
 *
 * @param redelivery how often a node looks for engagement stored but never told to the lead's
 * journeys, how old such an event must be before the look takes it (younger ones are still
 * being told by their own request), and how long after a try, by any node's look, the next may
 * come: an event that cannot be told is given up after {@value EngagementRedelivery#ATTEMPTS}
 * tries, so about that many times this after it was stored, however many nodes look (give every
 * node the same); at least 10 s, or 0 for no looks on this node
 */
@Validated
@ConfigurationProperties("nurture.engagement")
record EngagementProperties(@NotNull @DefaultValue("1m") Duration redelivery) {

	static final Duration SHORTEST_REDELIVERY = Duration.ofSeconds(10);

	EngagementProperties {
		if (redelivery != null && !redelivery.isZero() && redelivery.compareTo(SHORTEST_REDELIVERY) < 0) {
			throw new IllegalArgumentException(
					"nurture.engagement.redelivery must be at least 10s, or 0 for none, not " + redelivery);
		}
	}

	/** Whether this node looks for untold engagement at all. */
	boolean redelivers() {
		return !this.redelivery.isZero();
	}

}
