package io.nurtureflow.lead;

import java.time.Duration;
import java.time.ZoneId;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Intake settings.
 *
 * @param defaultTimeZone the zone of a lead that names none
 * @param importMaxRows the most data rows one CSV import may carry
 * @param idempotencyRetention how long the answer to a request with an {@code Idempotency-Key}
 * is kept for its retries; at least an hour
 * @param resubscribePeriod a lead that withdrew email and ticks it on a form again gets at most
 * one email asking it to confirm in this long, and the email's link works this long; at least an
 * hour, so that a form cannot be used to fill someone's mailbox
 * @param resubscribeRetry how often a node looks for such emails still to be sent: left unsent by
 * a node that stopped after storing the form, or failed and due to be tried again (each failed
 * try waits {@link ResubscribeBackoff longer}); at least 10 s, or 0 for no looks on this node (it
 * still sends the emails of the forms it takes, once; other nodes' looks try them again)
 */
@Validated
@ConfigurationProperties("nurture.leads")
public record LeadProperties(@NotNull @DefaultValue("UTC") ZoneId defaultTimeZone,
		@Min(1) @Max(1_000_000) @DefaultValue("100000") int importMaxRows,
		@NotNull @DefaultValue("7d") Duration idempotencyRetention,
		@NotNull @DefaultValue("24h") Duration resubscribePeriod,
		@NotNull @DefaultValue("1m") Duration resubscribeRetry) {

	static final Duration SHORTEST_RESUBSCRIBE_RETRY = Duration.ofSeconds(10);

	public LeadProperties {
		atLeastAnHour("nurture.leads.idempotency-retention", idempotencyRetention);
		atLeastAnHour("nurture.leads.resubscribe-period", resubscribePeriod);
		if (resubscribeRetry != null && !resubscribeRetry.isZero()
				&& resubscribeRetry.compareTo(SHORTEST_RESUBSCRIBE_RETRY) < 0) {
			throw new IllegalArgumentException(
					"nurture.leads.resubscribe-retry must be at least 10s, or 0 for none, not " + resubscribeRetry);
		}
	}

	/** Whether this node looks for emails asking a lead to confirm that are still to be sent. */
	boolean retriesResubscribeMail() {
		return !this.resubscribeRetry.isZero();
	}

	private static void atLeastAnHour(String setting, Duration value) {
		if (value != null && value.compareTo(Duration.ofHours(1)) < 0) {
			throw new IllegalArgumentException(setting + " must be at least an hour, not " + value);
		}
	}

}
