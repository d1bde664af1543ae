package io.nurtureflow.scoring;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How leads are scored. A setting that would score nonsense (an event type that does not exist,
 * points below zero, no half-life, an MQL threshold above the SQL one) stops the start and names
 * itself.
 *
 * @param points engagement points per event type, 0 to 1000; types not listed count nothing
 * @param halfLife after this long an event counts half as much; at least an hour
 * @param mqlThreshold total score from which a lead is marketing-qualified
 * @param sqlThreshold total score from which a lead is ready for sales, not below the MQL one
 */
@Validated
@ConfigurationProperties("nurture.scoring")
public record ScoringProperties(@NotNull Map<String, @Min(0) @Max(1000) Integer> points,
		@NotNull @DurationMin(hours = 1) @DefaultValue("30d") Duration halfLife,
		@Min(1) @Max(1000) @DefaultValue("70") int mqlThreshold, @Min(1) @Max(1000) @DefaultValue("100") int sqlThreshold) {

	/**
	 * What an engagement event's type can be: the engagement types, and intake's re-conversion
	 * (a known lead submitted again).
	 */
	static final Set<String> EVENT_TYPES = Set.of("OPENED", "CLICKED", "REPLIED", "SMS_REPLIED", "UNSUBSCRIBED",
			"SMS_OPTED_OUT", "SMS_OPTED_IN", "CONVERTED", "CONTENT_DOWNLOADED", "SURVEY_ANSWERED", "RECONVERSION",
			"EMAIL_OPTED_IN");

	public ScoringProperties {
		points = (points != null) ? Map.copyOf(checked(points)) : Map.of();
		if (mqlThreshold > sqlThreshold) {
			throw new IllegalArgumentException("nurture.scoring.mql-threshold (" + mqlThreshold
					+ ") must not be above nurture.scoring.sql-threshold (" + sqlThreshold + ")");
		}
	}

	/** Where a total puts a lead: SQL, MQL, or below that warm, unless under half the MQL threshold. */
	ScoreCard.Band band(int total) {
		if (total >= this.sqlThreshold) {
			return ScoreCard.Band.SQL;
		}
		if (total >= this.mqlThreshold) {
			return ScoreCard.Band.MQL;
		}
		// half of an odd threshold is not a whole number: 35 is under half of 71
		return (2 * total >= this.mqlThreshold) ? ScoreCard.Band.WARM : ScoreCard.Band.COLD;
	}

	/**
	 * The points by event type. An environment variable ({@code NURTURE_SCORING_POINTS_SMS_REPLIED})
	 * reaches the map as {@code sms.replied}: keys are read in any case, with dots or dashes for
	 * underscores, and the type's own spelling wins over another of the same type.
	 */
	private static Map<String, Integer> checked(Map<String, Integer> points) {
		Map<String, Integer> byType = new HashMap<>();
		points.forEach((key, value) -> {
			String type = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
			if (key.equals(type) || !byType.containsKey(type)) {
				byType.put(type, value);
			}
		});
		Set<String> unknown = new TreeSet<>(byType.keySet());
		unknown.removeAll(EVENT_TYPES);
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("nurture.scoring.points: no engagement event is called "
					+ String.join(", ", unknown) + "; the types are " + String.join(", ", new TreeSet<>(EVENT_TYPES)));
		}
		return byType;
	}

}
