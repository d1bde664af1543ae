package io.nurtureflow.journey;

import java.time.Duration;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class)
		.withPropertyValues("nurture.journey.cadence[0].channel=EMAIL", "nurture.journey.cadence[0].content=checklist",
				"nurture.journey.cadence[0].wait-for=P3D");

	@Test
	void waitsTheTimersCanReadAreTakenAsGiven() {
		this.context
			.withPropertyValues("nurture.journey.long-term-interval=P1M", "nurture.journey.quarter=P3M",
					"nurture.journey.survey-wait=P1DT12H", "nurture.journey.check-in-follow-up=PT36H",
					"nurture.journey.cadence[0].wait-for=PT90M",
					"nurture.journey.call-sla=PT10M", "nurture.journey.call-retry-delays=PT4H,P1D",
					"nurture.journey.business-zone=Europe/Berlin")
			.run((context) -> {
				JourneyProperties journey = context.getBean(JourneyProperties.class);

				assertThat(journey.longTermInterval()).isEqualTo("P1M");
				assertThat(journey.quarter()).isEqualTo("P3M");
				assertThat(journey.surveyWait()).isEqualTo("P1DT12H");
				assertThat(journey.checkInFollowUp()).isEqualTo("PT36H");
				assertThat(journey.cadence().get(0).waitFor()).isEqualTo("PT90M");
				assertThat(journey.callSla()).isEqualTo(Duration.ofMinutes(10));
				assertThat(journey.callRetryDelays()).containsExactly(Duration.ofHours(4), Duration.ofDays(1));
				assertThat(journey.businessZone()).isEqualTo("Europe/Berlin");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "long-term-interval=30 days", "long-term-interval=P0D", "repermission-wait=-P14D",
			"onboarding-gap=7d", "check-in-after=PT", "check-in-follow-up=P0D",
			"check-in-follow-up=a week", "quarter=P91", "survey-wait=14", "cadence[0].wait-for=P3X",
			"cadence[0].wait-for=PT0S", "call-sla=PT0S", "call-sla=-PT5M", "call-retry-delays=P1D,PT0S", "business-zone=Mars/Olympus",
			"business-zone=Europe/Berlinn",
			"business-hours=9 to 5", "business-days=MON-FUN" })
	void aWaitTheTimersCannotTakeStopsTheStartNamingIt(String setting) {
		assertThat(Settings.refusalOf(this.context, "nurture.journey." + setting))
			.contains("nurture.journey." + setting.substring(0, setting.indexOf('=')));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(JourneyProperties.class)
	static class Properties {

	}

}
