package io.nurtureflow.scoring;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.support.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ScoringPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@Test
	void pointsHalfLifeAndThresholdsAreTakenAsGiven() {
		this.context
			.withPropertyValues("nurture.scoring.points.CLICKED=12", "nurture.scoring.points.RECONVERSION=0",
					"nurture.scoring.half-life=14d", "nurture.scoring.mql-threshold=80",
					"nurture.scoring.sql-threshold=80")
			.run((context) -> {
				ScoringProperties scoring = context.getBean(ScoringProperties.class);

				assertThat(scoring.points()).containsOnly(entry("CLICKED", 12), entry("RECONVERSION", 0));
				assertThat(scoring.halfLife()).isEqualTo(Duration.ofDays(14));
				assertThat(scoring.mqlThreshold()).isEqualTo(80);
				assertThat(scoring.sqlThreshold()).isEqualTo(80);
			});
	}

	@Test
	void everyEngagementTypeCanBeGivenPoints() {
		String[] settings = Arrays.stream(EngagementType.values())
			.map((type) -> "nurture.scoring.points." + type.name() + "=1")
			.toArray(String[]::new);
		this.context.withPropertyValues(settings)
			.run((context) -> assertThat(context.getBean(ScoringProperties.class).points())
				.hasSize(EngagementType.values().length));
	}

	@Test
	void environmentVariablesNameTheirTypeInAnyCase() {
		this.context.withPropertyValues("nurture.scoring.points.CLICKED=10", "nurture.scoring.points.OPENED=2")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						Map.of("NURTURE_SCORING_POINTS_CLICKED", "5", "NURTURE_SCORING_POINTS_SMS_REPLIED", "7", "NURTURE_SCORING_POINTS_CONVERTED", "9"))))
			.run((context) -> assertThat(context.getBean(ScoringProperties.class).points()).containsOnly(
					entry("CLICKED", 5), entry("OPENED", 2), entry("SMS_REPLIED", 7), entry("CONVERTED", 9)));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			points.CLIKED=10        | no engagement event is called CLIKED
			points.sms-repliedd=10  | no engagement event is called SMS_REPLIEDD
			points.CLICKED=-1       | points[CLICKED]
			points.CLICKED=1001     | points[CLICKED]
			half-life=0s            | halfLife
			half-life=-30d          | halfLife
			half-life=30m           | halfLife
			mql-threshold=0         | mqlThreshold
			sql-threshold=1001      | sqlThreshold
			mql-threshold=120       | nurture.scoring.mql-threshold (120) must not be above nurture.scoring.sql-threshold (100)
			""")
	void aSettingThatWouldScoreNonsenseStopsTheStartNamingIt(String setting, String refusal) {
		assertThat(Settings.refusalOf(this.context, "nurture.scoring." + setting)).contains(refusal);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ScoringProperties.class)
	static class Properties {

	}

}
