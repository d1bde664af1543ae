package io.nurtureflow.engagement;

import java.util.List;

/** An integration tried to report engagement that only tracking or a provider may report. */
public class IllegalEngagementException extends RuntimeException {

	public IllegalEngagementException(EngagementType type, List<EngagementType> allowed) {
		super(type + " cannot be pushed through the API; allowed: " + allowed);
	}

}
