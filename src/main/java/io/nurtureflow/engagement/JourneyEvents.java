package io.nurtureflow.engagement;

import java.util.UUID;

/**
 * Tells a lead's running journeys what the lead did; implemented where the engine lives.
 * Implementations must not lose an event to a concurrent change of the same journey.
 */
public interface JourneyEvents {

	void engaged(UUID leadId, EngagementType type, String detail);

	/** The lead withdrew consent for every channel: its journeys end through their exit. */
	void unsubscribedEverywhere(UUID leadId);

}
