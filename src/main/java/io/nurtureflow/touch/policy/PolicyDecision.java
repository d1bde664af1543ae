package io.nurtureflow.touch.policy;

import java.time.Instant;

/**
 * What the contact policy says about a touch now: send it, defer it to a later moment, or skip
 * it because it may never go.
 */
public record PolicyDecision(Verdict verdict, String reason, Instant until) {

	public enum Verdict {

		SEND, DEFER, SKIP

	}

	static PolicyDecision send() {
		return new PolicyDecision(Verdict.SEND, null, null);
	}

	static PolicyDecision skip(String reason) {
		return new PolicyDecision(Verdict.SKIP, reason, null);
	}

	static PolicyDecision defer(String reason, Instant until) {
		return new PolicyDecision(Verdict.DEFER, reason, until);
	}

}
