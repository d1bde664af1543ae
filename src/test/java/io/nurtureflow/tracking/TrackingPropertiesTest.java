package io.nurtureflow.tracking;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class TrackingPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@ParameterizedTest
	@ValueSource(strings = { "", "0123456789abcdef0123456789abcdef",
			"a7f3c9e1b5d24f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d0f1a3c5e7b9d2f4a" })
	void noSecretOrOneOfAtLeast32CharactersIsTakenAsGiven(String secret) {
		this.context.withPropertyValues("nurture.tracking.secret=" + secret)
			.run((context) -> assertThat(context.getBean(TrackingProperties.class).secret()).isEqualTo(secret));
	}

	@ParameterizedTest
	@ValueSource(strings = { "x", "secret", "0123456789abcdef0123456789abcde" })
	void aShortSecretStopsTheStartSayingHowLongItMustBe(String secret) {
		assertThat(Settings.refusalOf(this.context, "nurture.tracking.secret=" + secret)).isEqualTo(
				"NURTURE_TRACKING_SECRET must be at least 32 characters (openssl rand -hex 32 makes one), not "
						+ secret.length());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(TrackingProperties.class)
	static class Properties {

	}

}
