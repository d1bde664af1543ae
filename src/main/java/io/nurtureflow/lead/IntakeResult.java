package io.nurtureflow.lead;

import java.util.List;

/** What became of a submitted lead, and the journeys it is in now. */
public record IntakeResult(Lead lead, Outcome outcome, List<Journeys.ActiveJourney> journeys) {

	public enum Outcome {

		/** A new lead, with its journey started. */
		CREATED,

		/** A known email: recorded as a re-conversion of the existing lead. */
		DUPLICATE,

		/** A known email in an imported row that repeats an upload: nothing recorded or changed. */
		UNCHANGED

	}

}
