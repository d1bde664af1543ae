package io.nurtureflow.lead;

/**
 * The do-not-contact list as intake asks it, implemented by the contact policy: an address on
 * it is never touched, so a submission cannot give consent for it.
 */
public interface DoNotContactList {

	/** Whether any of the addresses (emails or E.164 numbers; nulls ignored) is on the list. */
	boolean containsAny(String... addresses);

}
