package io.nurtureflow.engagement;

import java.time.Instant;
import java.util.UUID;

/**
 * One thing a lead did.
 *
 * @param touchId the touch it answers, if known
 * @param dedupeKey the same key twice is one event (replayed webhooks, reloaded pixels)
 */
public record Engagement(UUID leadId, Long touchId, EngagementType type, String channel, String detail,
		Instant occurredAt, String dedupeKey) {
}
