package io.nurtureflow.lead;

/** What became of a submitted lead. */
public record IntakeResult(Lead lead, Outcome outcome) {

	public enum Outcome {

		/** A new lead, with its journey started. */
		CREATED,

		/** A known email: recorded as a re-conversion of the existing lead. */
		DUPLICATE

	}

}
