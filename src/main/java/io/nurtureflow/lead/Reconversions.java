package io.nurtureflow.lead;

import java.time.Instant;
import java.util.UUID;

/**
 * What intake needs once a known lead's re-conversion is committed, implemented by the
 * engagement feature: the lead rescored and its journeys told, as for any other engagement.
 */
public interface Reconversions {

	/**
	 * Rescores the lead and tells its journeys of the re-conversion stored as {@code eventId}, in
	 * transactions of its own. An event left untold (the engine busy on every attempt, the node
	 * gone) is told by the engagement feature's redelivery.
	 */
	void reconverted(UUID leadId, long eventId, String origin, Instant at);

}
