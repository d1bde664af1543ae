package io.nurtureflow.engagement;

/** What a lead did that a journey may react to. */
public enum EngagementType {

	OPENED, CLICKED, REPLIED, SMS_REPLIED, UNSUBSCRIBED, SMS_OPTED_OUT, SMS_OPTED_IN, CONVERTED, CONTENT_DOWNLOADED,
	SURVEY_ANSWERED

}
