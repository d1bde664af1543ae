package io.nurtureflow.engagement;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * How much engagement waits for its journeys, for {@code /actuator/prometheus}:
 * {@code nurture_engagement_untold} (stored, journeys not told yet, still being tried) and
 * {@code nurture_engagement_given_up} (tried {@value EngagementRedelivery#ATTEMPTS} times, once an
 * interval, and left; alert on it). Counted by each {@link EngagementRedelivery} look, not at the scrape, so a
 * scrape never waits for the database (while it is down the figures are those of the last look).
 */
@Component
class UntoldEngagementMetrics implements MeterBinder {

	private final AtomicLong untold = new AtomicLong();

	private final AtomicLong givenUp = new AtomicLong();

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("nurture.engagement.untold", this.untold, AtomicLong::get)
			.description("Engagement events stored whose journeys were not told yet; the redelivery still tries them")
			.register(registry);
		Gauge.builder("nurture.engagement.given.up", this.givenUp, AtomicLong::get)
			.description("Engagement events whose journeys the redelivery gave up telling")
			.register(registry);
	}

	void counted(long untold, long givenUp) {
		this.untold.set(untold);
		this.givenUp.set(givenUp);
	}

}
