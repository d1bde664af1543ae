package io.nurtureflow.journey;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class TouchPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@ParameterizedTest
	@ValueSource(strings = { "R5/PT1M", "R1/PT30S", "PT1M,PT10M,PT1H", "PT1M, PT10M", "P1D" })
	void aRetryCycleTheEngineReadsIsTakenAsGiven(String cycle) {
		this.context.withPropertyValues("nurture.touch.retry-cycle=" + cycle)
			.run((context) -> assertThat(context.getBean(TouchProperties.class).retryCycle()).isEqualTo(cycle));
	}

	@ParameterizedTest
	@ValueSource(strings = { "5 times", "R5", "R5/", "R/PT1M", "R0/PT1M", "R99999999999/PT1M", "R5/PT0S", "R5/1m",
			"PT1M,,PT1H", "PT1M,", "PT1M,-PT10M" })
	void aRetryCycleTheEngineCannotReadStopsTheStartNamingIt(String cycle) {
		assertThat(Settings.refusalOf(this.context, "nurture.touch.retry-cycle=" + cycle))
			.startsWith("nurture.touch.retry-cycle must read like R5/PT1M")
			.endsWith("not " + cycle);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(TouchProperties.class)
	static class Properties {

	}

}
