package io.nurtureflow.engagement;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a lead did that a journey may react to. {@code RECONVERSION} is a known lead submitting a
 * form again: intake stores it, and it is told to the journeys like the rest. {@code EMAIL_OPTED_IN}
 * is a lead that had unsubscribed confirming, by the link emailed to it, that it wants email again.
 */
public enum EngagementType {

	OPENED, CLICKED, REPLIED, SMS_REPLIED, UNSUBSCRIBED, SMS_OPTED_OUT, SMS_OPTED_IN, CONVERTED, CONTENT_DOWNLOADED,
	SURVEY_ANSWERED, RECONVERSION, EMAIL_OPTED_IN;

	/** Whether the lead counts as engaged for it (the funnel's "engaged"): anything but an opt-out. */
	public boolean engages() {
		return this != UNSUBSCRIBED && this != SMS_OPTED_OUT;
	}

	/** The type of this name, if this node knows it (a newer node may store one it does not). */
	static Optional<EngagementType> known(String name) {
		return Arrays.stream(values()).filter((type) -> type.name().equals(name)).findFirst();
	}

}
