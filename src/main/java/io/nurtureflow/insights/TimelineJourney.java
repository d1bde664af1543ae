package io.nurtureflow.insights;

import java.time.Instant;
import java.util.Optional;

import io.nurtureflow.insights.Reports.TimelineEntry;

/**
 * One journey of a lead as its timeline tells it: when it started, and when and how it ended (the
 * step it left at, with the reason the rep or the CRM gave for a disqualification or a churn), or
 * that it was cancelled (in Cockpit or through the engine's API, with the reason given there), or
 * that it still runs.
 *
 * @param instanceId the process instance, as Cockpit shows it
 * @param journey the process key, e.g. {@code lead-nurture}
 * @param state the history's state, {@code SUSPENDED} for a journey suspended in Cockpit
 * @param endedAt null while it runs
 * @param endActivity the step it ended at: its end event, or the exit (event subprocess) it took;
 * null for a journey that was cancelled
 * @param endActivityName that step's name in the diagram
 * @param exitReason the {@code exitReason} variable its exit was given, if any
 * @param deleteReason the reason it was cancelled with, if any
 */
record TimelineJourney(String instanceId, String journey, String state, Instant startedAt, Instant endedAt,
		String endActivity, String endActivityName, String exitReason, String deleteReason) {

	/** The journey intake starts for a new lead, and again for a known lead none of whose journeys runs. */
	static final String LEAD_NURTURE = "lead-nurture";

	static final String KIND = "journey";

	/**
	 * When it started. A lead journey that is not the lead's first is a lead that came back (a
	 * form, an import) after its journeys had ended: one that had left the funnel is new again.
	 */
	TimelineEntry start(boolean first, String link) {
		boolean cameBack = !first && LEAD_NURTURE.equals(this.journey);
		return new TimelineEntry(this.startedAt, KIND,
				this.journey + (cameBack ? " started again: the lead came back" : " started"), status(), null, link);
	}

	/** When and how it ended; empty while it runs. */
	Optional<TimelineEntry> end(String link) {
		if (this.endedAt == null) {
			return Optional.empty();
		}
		if (cancelled()) {
			return Optional.of(new TimelineEntry(this.endedAt, KIND, this.journey + " cancelled", null,
					this.deleteReason, link));
		}
		return Optional.of(new TimelineEntry(this.endedAt, KIND, this.journey + " ended",
				(this.endActivityName != null) ? this.endActivityName : this.endActivity, this.exitReason, link));
	}

	/**
	 * Deleted rather than ended at a step of its own: the engine keeps no end step then (and
	 * records the state of a journey cancelled through the API as internally terminated).
	 */
	private boolean cancelled() {
		return this.endedAt != null && this.endActivity == null;
	}

	private String status() {
		if (this.endedAt == null) {
			return "SUSPENDED".equals(this.state) ? "suspended" : "running";
		}
		return cancelled() ? "cancelled" : "ended";
	}

}
