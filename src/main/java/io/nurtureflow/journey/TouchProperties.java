package io.nurtureflow.journey;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sending steps.
 *
 * @param retryCycle how a sending step retries a failed attempt before it becomes an incident,
 * as Camunda reads {@code failedJobRetryTimeCycle}: {@code R5/PT1M} or {@code PT1M,PT10M,PT1H}
 */
@Validated
@ConfigurationProperties("nurture.touch")
record TouchProperties(@NotBlank @DefaultValue("R5/PT1M") String retryCycle) {

	TouchProperties {
		TimerWaits.requireRetryCycle("nurture.touch.retry-cycle", retryCycle);
	}

}
