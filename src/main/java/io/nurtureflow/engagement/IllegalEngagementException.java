package io.nurtureflow.engagement;

import java.util.List;

/** An integration reported engagement it may not: a type only tracking or a provider reports, or an impossible time. */
public class IllegalEngagementException extends RuntimeException {

	private final String field;

	public IllegalEngagementException(EngagementType type, List<EngagementType> allowed) {
		super(type + " cannot be pushed through the API; allowed: " + allowed);
		this.field = "type";
	}

	IllegalEngagementException(String field, String message) {
		super(field + " " + message);
		this.field = field;
	}

	/** The field of the pushed engagement that is wrong. */
	public String field() {
		return this.field;
	}

}
