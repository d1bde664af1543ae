package io.nurtureflow.engagement;

import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Tells a lead's running journeys what the lead did; implemented where the engine lives.
 * Implementations must not lose an event to a concurrent change of the same journey.
 */
public interface JourneyEvents {

	/**
	 * Tells the lead's journeys of an engagement, once. {@code claim} runs first in the
	 * transaction that tells them and commits with it: when it answers false, another delivery
	 * of the same event told them already, and nothing is done. When the engagement left the lead
	 * no channel at all ({@code unreachable}: an opt-out that took its last consent), its journeys
	 * then end through their exit, in the same transaction.
	 */
	void engaged(UUID leadId, EngagementType type, String detail, boolean unreachable, BooleanSupplier claim);

}
