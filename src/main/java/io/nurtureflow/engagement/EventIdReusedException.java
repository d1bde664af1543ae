package io.nurtureflow.engagement;

/** A pushed event's id names another event of the lead, one of another type: the new one is not recorded. */
public class EventIdReusedException extends RuntimeException {

	EventIdReusedException(String eventId, String storedType, EngagementType pushedType) {
		super("eventId " + eventId + " names a " + storedType + " event of this lead already, not a " + pushedType);
	}

}
