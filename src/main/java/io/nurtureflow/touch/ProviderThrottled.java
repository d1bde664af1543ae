package io.nurtureflow.touch;

import java.time.Duration;

/**
 * The provider turned the message away for now and said how long to wait ({@code Retry-After}
 * on a 429 or 503). Like any outage it goes to the step's retries; the next retry is not due
 * before that wait is over, even when the retry cycle would come back sooner.
 */
public class ProviderThrottled extends RuntimeException {

	private final Duration retryAfter;

	public ProviderThrottled(String message, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
