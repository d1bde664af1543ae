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
 */
@Validated
@ConfigurationProperties("nurture.leads")
public record LeadProperties(@NotNull @DefaultValue("UTC") ZoneId defaultTimeZone,
		@Min(1) @Max(1_000_000) @DefaultValue("100000") int importMaxRows,
		@NotNull @DefaultValue("7d") Duration idempotencyRetention,
		@NotNull @DefaultValue("24h") Duration resubscribePeriod) {

	public LeadProperties {
		atLeastAnHour("nurture.leads.idempotency-retention", idempotencyRetention);
		atLeastAnHour("nurture.leads.resubscribe-period", resubscribePeriod);
	}

	private static void atLeastAnHour(String setting, Duration value) {
		if (value != null && value.compareTo(Duration.ofHours(1)) < 0) {
			throw new IllegalArgumentException(setting + " must be at least an hour, not " + value);
		}
	}

}
