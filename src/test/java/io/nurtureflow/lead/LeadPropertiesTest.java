package io.nurtureflow.lead;

import java.time.Duration;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class LeadPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@Test
	void anIdempotencyAnswerIsKeptAWeekUnlessToldOtherwise() {
		this.context.run((context) -> assertThat(context.getBean(LeadProperties.class).idempotencyRetention())
			.isEqualTo(Duration.ofDays(7)));
		this.context.withPropertyValues("nurture.leads.idempotency-retention=PT36H")
			.run((context) -> assertThat(context.getBean(LeadProperties.class).idempotencyRetention())
				.isEqualTo(Duration.ofHours(36)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "59m", "-1d" })
	void aRetentionShorterThanAnHourStopsTheStart(String retention) {
		assertThat(Settings.refusalOf(this.context, "nurture.leads.idempotency-retention=" + retention))
			.startsWith("nurture.leads.idempotency-retention must be at least an hour");
	}

	@Test
	void aLeadThatUnsubscribedIsAskedToConfirmItsEmailAtMostOnceADayUnlessToldOtherwise() {
		this.context.run((context) -> assertThat(context.getBean(LeadProperties.class).resubscribePeriod())
			.isEqualTo(Duration.ofHours(24)));
		this.context.withPropertyValues("nurture.leads.resubscribe-period=3d")
			.run((context) -> assertThat(context.getBean(LeadProperties.class).resubscribePeriod())
				.isEqualTo(Duration.ofDays(3)));
	}

	/** A period of minutes would let a form send someone an email every few minutes. */
	@ParameterizedTest
	@ValueSource(strings = { "0", "59m", "-1d" })
	void aResubscribePeriodShorterThanAnHourStopsTheStart(String period) {
		assertThat(Settings.refusalOf(this.context, "nurture.leads.resubscribe-period=" + period))
			.startsWith("nurture.leads.resubscribe-period must be at least an hour");
	}

	@Test
	void anEmailAskingToConfirmThatIsStillToBeSentIsLookedForEveryMinuteUnlessToldOtherwise() {
		this.context.run((context) -> assertThat(context.getBean(LeadProperties.class).resubscribeRetry())
			.isEqualTo(Duration.ofMinutes(1)));
		this.context.withPropertyValues("nurture.leads.resubscribe-retry=0").run((context) -> {
			assertThat(context.getBean(LeadProperties.class).retriesResubscribeMail()).isFalse();
		});
	}

	/** Looks every few seconds would query every node's database for nothing most of the time. */
	@ParameterizedTest
	@ValueSource(strings = { "9s", "-1m" })
	void aResubscribeRetryShorterThanTenSecondsStopsTheStart(String retry) {
		assertThat(Settings.refusalOf(this.context, "nurture.leads.resubscribe-retry=" + retry))
			.startsWith("nurture.leads.resubscribe-retry must be at least 10s, or 0 for none");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(LeadProperties.class)
	static class Properties {

	}

}
