package io.nurtureflow.web;

import java.io.IOException;

/**
 * A request body grew past its limit while it was read (a chunked body, which declares no
 * length up front). An {@link IOException}, so that it stops whatever reads the body, and
 * answered 413 wherever it surfaces.
 */
class BodyTooLargeException extends IOException {

	private final long limit;

	BodyTooLargeException(long limit) {
		super("The request body is larger than the " + BodySizeLimitFilter.describe(limit)
				+ " this endpoint accepts");
		this.limit = limit;
	}

	long limit() {
		return this.limit;
	}

	/** The exception itself or the first of its causes that is one, else null. */
	static BodyTooLargeException in(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BodyTooLargeException tooLarge) {
				return tooLarge;
			}
			if (cause.getCause() == cause) {
				return null;
			}
		}
		return null;
	}

}
