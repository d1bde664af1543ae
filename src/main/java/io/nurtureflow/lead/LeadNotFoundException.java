package io.nurtureflow.lead;

/** No lead matches what the client asked for. */
public class LeadNotFoundException extends RuntimeException {

	public LeadNotFoundException(String what) {
		super("No lead with " + what);
	}

}
