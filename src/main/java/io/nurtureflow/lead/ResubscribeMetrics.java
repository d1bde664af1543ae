package io.nurtureflow.lead;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * How the emails asking a lead to confirm it wants email again fare, for {@code /actuator/prometheus}:
 * {@code nurture_resubscribe_waiting} (asked, not sent yet: being sent, or waiting for the next try
 * after a failed one), {@code nurture_resubscribe_overdue} (of those, due when a look began and
 * still untried when it ended: more due than a look takes, alert when it stays above 0) and
 * {@code nurture_resubscribe_given_up_total} (given up by this node, by reason; alert on an
 * increase of reason {@code expired}: the SMTP server failed for as long as a link works). The
 * gauges are counted by each {@link ResubscribeDelivery} look, not at the scrape, so a scrape never
 * waits for the database (while it is down the figures are those of the last look).
 */
@Component
class ResubscribeMetrics implements MeterBinder {

	/** Why an email was given up, as the {@code reason} of the counter. */
	enum GiveUp {

		/** Its link expired, or would before the next try: the SMTP server failed that long. */
		EXPIRED,

		/** The SMTP server refused it for good (the address), or it could not be built. */
		REFUSED,

		/** The lead was put on the do-not-contact list meanwhile. */
		DO_NOT_CONTACT

	}

	private final AtomicLong waiting = new AtomicLong();

	private final AtomicLong overdue = new AtomicLong();

	private final Map<GiveUp, AtomicLong> givenUp = new EnumMap<>(GiveUp.class);

	ResubscribeMetrics() {
		for (GiveUp reason : GiveUp.values()) {
			this.givenUp.put(reason, new AtomicLong());
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("nurture.resubscribe.waiting", this.waiting, AtomicLong::get)
			.description("Emails asking a lead to confirm it wants email again that were not sent yet")
			.register(registry);
		Gauge.builder("nurture.resubscribe.overdue", this.overdue, AtomicLong::get)
			.description("Emails asking a lead to confirm that were due when the last look began and it left untried")
			.register(registry);
		this.givenUp.forEach((reason, count) -> FunctionCounter.builder("nurture.resubscribe.given.up", count, AtomicLong::get)
			.description("Emails asking a lead to confirm that this node gave up")
			.tag("reason", reason.name().toLowerCase(Locale.ROOT))
			.register(registry));
	}

	void counted(long waiting, long overdue) {
		this.waiting.set(waiting);
		this.overdue.set(overdue);
	}

	void gaveUp(GiveUp reason) {
		this.givenUp.get(reason).incrementAndGet();
	}

}
