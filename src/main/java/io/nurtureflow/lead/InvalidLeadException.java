package io.nurtureflow.lead;

import java.util.List;

/** A submitted lead broke one or more rules; each is named in {@link #errors()}. */
public class InvalidLeadException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidLeadException(List<FieldError> errors) {
		super("Invalid lead: " + errors);
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return this.errors;
	}

}
