package io.nurtureflow.scoring;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A lead's score and why: the fit rules that fired, the engagement that counted (with its decay),
 * the total and the band the journeys route on.
 */
public record ScoreCard(int fitScore, String grade, List<FitReason> fit, BigDecimal engagementScore,
		List<CountedEvent> engagement, int total, Band band, Instant at) {

	public ScoreCard {
		fit = List.copyOf(fit);
		engagement = List.copyOf(engagement);
	}

	/** Where a total score puts a lead. */
	public enum Band {

		COLD, WARM, MQL, SQL

	}

	/** One rule of the fit decision that fired. */
	public record FitReason(String rule, int points, String reason) {
	}

	/** One engagement event and what it counts for now. */
	public record CountedEvent(String type, Instant occurredAt, int points, BigDecimal counts) {
	}

	/** A line per reason, for a rep's task form. */
	public String summary() {
		StringBuilder lines = new StringBuilder();
		this.fit.forEach((f) -> lines.append("- ").append(f.reason()).append(" (+").append(f.points()).append(")\n"));
		if (this.engagementScore.signum() > 0) {
			lines.append("- Engagement: ").append(this.engagementScore).append(" from ").append(this.engagement.size())
				.append(" events\n");
		}
		return lines.toString();
	}

}
