package io.nurtureflow.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What one client may send: the largest body per kind of endpoint, and how often the public
 * endpoints may be called from one address. Camunda's own {@code /engine-rest} and
 * {@code /camunda} are left to Camunda.
 *
 * @param jsonBody the largest body of an {@code /api} request (JSON, forms), the import and
 * inbound email aside; every body limit is at least 1KB
 * @param csvBody the largest CSV import ({@code /api/leads/import})
 * @param inboundBody the largest inbound email ({@code /api/inbound/email}), attachments included
 * @param publicBody the largest body of a tracking ({@code /t/**}) or webhook
 * ({@code /webhooks/**}) request
 * @param trackingPerMinute tracking requests one client address may make per minute (a burst of
 * as many is allowed); 0 turns the limit off
 * @param webhooksPerMinute webhook requests one client address may make per minute; 0 turns the
 * limit off
 * @param rateClients how many client addresses the rate limiter remembers per kind (the least
 * recently seen is forgotten first), which bounds its memory
 */
@Validated
@ConfigurationProperties("nurture.limits")
public record LimitsProperties(@NotNull @DefaultValue("256KB") DataSize jsonBody,
		@NotNull @DefaultValue("50MB") DataSize csvBody, @NotNull @DefaultValue("30MB") DataSize inboundBody,
		@NotNull @DefaultValue("16KB") DataSize publicBody, @Min(0) @Max(1_000_000) @DefaultValue("60") int trackingPerMinute,
		@Min(0) @Max(1_000_000) @DefaultValue("600") int webhooksPerMinute,
		@Min(100) @Max(10_000_000) @DefaultValue("50000") int rateClients) {

	/** Below this no real request fits (a Twilio callback alone is about a kilobyte). */
	static final DataSize SMALLEST_BODY = DataSize.ofKilobytes(1);

	public LimitsProperties {
		requireRoom("NURTURE_LIMIT_JSON_BODY", jsonBody);
		requireRoom("NURTURE_LIMIT_CSV_BODY", csvBody);
		requireRoom("NURTURE_LIMIT_INBOUND_BODY", inboundBody);
		requireRoom("NURTURE_LIMIT_PUBLIC_BODY", publicBody);
	}

	private static void requireRoom(String setting, DataSize limit) {
		if (limit != null && limit.compareTo(SMALLEST_BODY) < 0) {
			throw new IllegalArgumentException(setting + " must be at least 1KB, not " + limit);
		}
	}

}
