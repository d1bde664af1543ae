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
 */
@Validated
@ConfigurationProperties("nurture.leads")
public record LeadProperties(@NotNull @DefaultValue("UTC") ZoneId defaultTimeZone,
		@Min(1) @Max(1_000_000) @DefaultValue("100000") int importMaxRows,
		@NotNull @DefaultValue("7d") Duration idempotencyRetention) {

	public LeadProperties {
		if (idempotencyRetention != null && idempotencyRetention.compareTo(Duration.ofHours(1)) < 0) {
			throw new IllegalArgumentException(
					"nurture.leads.idempotency-retention must be at least an hour, not " + idempotencyRetention);
		}
	}

}
