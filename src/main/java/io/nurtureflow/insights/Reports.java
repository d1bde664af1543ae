package io.nurtureflow.insights;

import java.time.Instant;
import java.util.List;

/** The shapes of the insight reports, as the JSON API and the CSV export give them. */
final class Reports {

	private Reports() {
	}

	record FunnelStage(String stage, long leads, Double fromPrevious) {
	}

	record Funnel(Period period, List<FunnelStage> stages) {
	}

	record Durations(long count, Double medianSeconds, Double p90Seconds, double within5Minutes) {
	}

	record HourRow(int hour, long leads, Double medianFirstTouchSeconds) {
	}

	record SlaRow(String group, long misses) {
	}

	record SpeedToLead(Period period, Durations firstTouch, Durations firstRepContact, List<SlaRow> slaMisses,
			List<HourRow> byHour) {
	}

	record ConversionRow(String group, long leads, long converted, double rate, Double medianDaysToConvert) {
	}

	record ChannelRow(String channel, String content, long sent, long delivered, long opened, long clicked,
			long replied, long unsubscribed, long bounced) {
	}

	record StepRow(String journey, String step, String name, String type, long waitingNow, long leftHere) {
	}

	record TimelineEntry(Instant at, String kind, String what, String detail, String why, String link) {
	}

	record Timeline(String leadId, String email, String stage, List<TimelineEntry> entries) {
	}

}
