package io.nurtureflow.scoring;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How leads are scored.
 *
 * @param points engagement points per event type; types not listed count nothing
 * @param halfLife after this long an event counts half as much
 * @param mqlThreshold total score from which a lead is marketing-qualified
 * @param sqlThreshold total score from which a lead is ready for sales
 */
@Validated
@ConfigurationProperties("nurture.scoring")
public record ScoringProperties(@NotNull Map<String, Integer> points, @NotNull @DefaultValue("30d") Duration halfLife,
		@Min(1) @Max(1000) @DefaultValue("70") int mqlThreshold, @Min(1) @Max(1000) @DefaultValue("100") int sqlThreshold) {

	public ScoringProperties {
		points = (points != null) ? Map.copyOf(points) : Map.of();
	}

}
