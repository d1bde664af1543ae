package io.nurtureflow.engagement;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How much engagement waits for its journeys, for {@code /actuator/prometheus}:
 * {@code nurture_engagement_untold} (stored, journeys not told yet, still being tried) and
 * {@code nurture_engagement_given_up} (tried by {@value EngagementRedelivery#ATTEMPTS} looks and
 * left; alert on it). Each is counted when scraped, from the index of untold events.
 */
@Component
class UntoldEngagementMetrics implements MeterBinder {

	private final JdbcClient jdbc;

	UntoldEngagementMetrics(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("nurture.engagement.untold", () -> count("tell_attempts < ?"))
			.description("Engagement events stored whose journeys were not told yet; the redelivery still tries them")
			.register(registry);
		Gauge.builder("nurture.engagement.given.up", () -> count("tell_attempts >= ?"))
			.description("Engagement events whose journeys the redelivery gave up telling")
			.register(registry);
	}

	private long count(String attempts) {
		return this.jdbc.sql("select count(*) from engagement_event where journeys_told = false and " + attempts)
			.param(EngagementRedelivery.ATTEMPTS)
			.query(Long.class)
			.single();
	}

}
