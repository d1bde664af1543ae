package io.nurtureflow.scoring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadNotFoundException;
import io.nurtureflow.lead.LeadRepository;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Scores leads: fit from the DMN decision, engagement as points per event that halve every
 * half-life, and their sum against the MQL and SQL thresholds. Rescoring stores the result on the
 * lead; {@link #explain} says how it came about.
 */
@Service
public class LeadScoring {

	private final FitDecision fit;

	private final LeadRepository leads;

	private final JdbcClient jdbc;

	private final ScoringProperties properties;

	private final Clock clock;

	LeadScoring(FitDecision fit, LeadRepository leads, JdbcClient jdbc, ScoringProperties properties, Clock clock) {
		this.fit = fit;
		this.leads = leads;
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	/** Scores the lead now and stores fit, grade and engagement on it. */
	@Transactional
	public ScoreCard rescore(UUID leadId) {
		ScoreCard card = explain(leadId);
		this.jdbc.sql("update lead set fit_score = ?, fit_grade = ?, engagement_score = ? where id = ?")
			.params(card.fitScore(), card.grade(), card.engagementScore(), leadId)
			.update();
		return card;
	}

	public ScoreCard explain(UUID leadId) {
		Lead lead = this.leads.findById(leadId).orElseThrow(() -> new LeadNotFoundException("id " + leadId));
		Instant now = this.clock.instant();
		FitDecision.Fit fitness = this.fit.assess(lead);
		List<ScoreCard.CountedEvent> counted = engagement(leadId, now);
		BigDecimal engagement = counted.stream()
			.map(ScoreCard.CountedEvent::counts)
			.reduce(BigDecimal.ZERO, BigDecimal::add)
			.setScale(2, RoundingMode.HALF_UP);
		int total = fitness.score() + engagement.setScale(0, RoundingMode.HALF_UP).intValue();
		return new ScoreCard(fitness.score(), fitness.grade(), fitness.reasons(), engagement, counted, total,
				this.properties.band(total), now);
	}

	private List<ScoreCard.CountedEvent> engagement(UUID leadId, Instant now) {
		double halfLife = this.properties.halfLife().toSeconds();
		List<ScoreCard.CountedEvent> counted = new ArrayList<>();
		Set<String> linksClicked = new HashSet<>();
		this.jdbc.sql("""
				select type, occurred_at, touch_id, detail from engagement_event where lead_id = ?
				order by occurred_at, id""")
			.param(leadId)
			.query((rs, n) -> new Object[] { rs.getString(1), rs.getTimestamp(2), rs.getObject(3, Long.class),
					rs.getString(4) })
			.list()
			.forEach((row) -> {
				int points = this.properties.points().getOrDefault((String) row[0], 0);
				if (points == 0 || !firstClickOfItsLink(row, linksClicked)) {
					return;
				}
				Instant at = ((Timestamp) row[1]).toInstant();
				double age = Math.max(0, Duration.between(at, now).toSeconds());
				BigDecimal counts = BigDecimal.valueOf(points * Math.pow(0.5, age / halfLife))
					.setScale(2, RoundingMode.HALF_UP);
				counted.add(new ScoreCard.CountedEvent((String) row[0], at, points, counts));
			});
		return counted;
	}

	/**
	 * A link of a touch counts once however often it is clicked: a reload, a double click or a
	 * mail scanner following it again is no more interest than the first click (all are kept).
	 */
	private static boolean firstClickOfItsLink(Object[] event, Set<String> linksClicked) {
		if (!"CLICKED".equals(event[0]) || event[2] == null) {
			return true;
		}
		return linksClicked.add(event[2] + " " + event[3]);
	}

}
