package io.nurtureflow.lead;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Deletes the answers stored under idempotency keys once they are older than
 * {@link LeadProperties#idempotencyRetention()}: each holds the lead as it was sent (email, name,
 * phone), and a client retries within minutes or hours, not for ever. A key sent again after that
 * is a new request (for a known email, a re-conversion). Every node deletes each hour; two at once
 * take the rows in the index's order and the second finds them gone.
 */
@Component
class IdempotencyExpiry implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyExpiry.class);

	static final Duration EVERY = Duration.ofHours(1);

	private final IdempotentRequests requests;

	private final LeadProperties properties;

	private final Clock clock;

	IdempotencyExpiry(IdempotentRequests requests, LeadProperties properties, Clock clock) {
		this.requests = requests;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(() -> {
			try {
				expire();
			}
			catch (DataAccessException ex) {
				// the database is down: the answers wait, the next hour takes them
				log.warn("Expired idempotency answers not deleted this time: {}", ex.getMessage());
			}
		}, EVERY, EVERY));
	}

	/** Deletes the answers stored before the retention (by the engine's clock); answers how many. */
	int expire() {
		int deleted = this.requests.forgetAnswersBefore(this.clock.instant().minus(this.properties.idempotencyRetention()));
		if (deleted > 0) {
			log.info("Deleted {} answers stored under idempotency keys more than {} ago", deleted,
					this.properties.idempotencyRetention());
		}
		return deleted;
	}

}
