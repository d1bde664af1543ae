package io.nurtureflow.demo;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Demo data for a first look ({@code NURTURE_DEMO=true}): leads run through the real journeys on
 * the engine clock, so the insight pages have weeks of history on the first start.
 *
 * @param load whether to load it; only ever into an empty database
 * @param leads about how many leads arrive over the period
 * @param weeks how many weeks back the simulated history starts
 */
@Validated
@ConfigurationProperties("nurture.demo")
public record DemoProperties(@DefaultValue("false") boolean load,
		@Min(1) @Max(5000) @DefaultValue("300") int leads, @Min(1) @Max(52) @DefaultValue("8") int weeks) {
}
