package io.nurtureflow.touch;

import java.time.Instant;
import java.util.UUID;

/** One row of the touch ledger. */
public record Touch(long id, String idempotencyKey, UUID leadId, String processInstanceId, String activityId,
		String journey, Channel channel, String content, TouchStatus status, String reason, String providerId,
		int attempts, Instant deferredUntil, String lastError, Instant createdAt, Instant updatedAt) {
}
