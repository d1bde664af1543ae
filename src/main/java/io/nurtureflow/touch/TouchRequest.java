package io.nurtureflow.touch;

import java.util.UUID;

/**
 * A journey's request to touch a lead.
 *
 * @param idempotencyKey unique per touch and stable across retries of the same step
 * @param content the content piece, a folder under {@code content/}
 */
public record TouchRequest(UUID leadId, String idempotencyKey, String processInstanceId, String activityId,
		String journey, Channel channel, String content) {
}
