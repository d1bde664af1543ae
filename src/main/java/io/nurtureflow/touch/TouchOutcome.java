package io.nurtureflow.touch;

import java.time.Instant;

/**
 * What became of a touch request, for the journey to route on.
 *
 * @param deferredUntil when a deferred touch may go, else null
 */
public record TouchOutcome(long touchId, TouchStatus status, String reason, Instant deferredUntil) {

	static TouchOutcome of(Touch touch) {
		return new TouchOutcome(touch.id(), touch.status(), touch.reason(), touch.deferredUntil());
	}

}
