package io.nurtureflow.engagement;

/** What a lead did that a journey may react to. */
public enum EngagementType {

	OPENED, CLICKED, REPLIED, SMS_REPLIED, UNSUBSCRIBED, SMS_OPTED_OUT, SMS_OPTED_IN, CONVERTED, CONTENT_DOWNLOADED,
	SURVEY_ANSWERED;

	/** Whether the lead counts as engaged for it (the funnel's "engaged"): anything but an opt-out. */
	public boolean engages() {
		return this != UNSUBSCRIBED && this != SMS_OPTED_OUT;
	}

}
