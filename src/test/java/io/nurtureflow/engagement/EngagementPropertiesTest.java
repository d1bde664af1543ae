package io.nurtureflow.engagement;

import java.time.Clock;
import java.time.Duration;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngagementPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@Test
	void aNodeLooksForUntoldEngagementEveryMinuteUnlessToldOtherwise() {
		this.context.run((context) -> {
			EngagementProperties properties = context.getBean(EngagementProperties.class);
			assertThat(properties.redelivery()).isEqualTo(Duration.ofMinutes(1));
			assertThat(scheduledLooks(properties)).containsExactly(Duration.ofMinutes(1));
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "10s", "5m", "PT2H" })
	void aLookEveryTenSecondsOrLessOftenIsTaken(String every) {
		this.context.withPropertyValues("nurture.engagement.redelivery=" + every).run((context) -> {
			EngagementProperties properties = context.getBean(EngagementProperties.class);
			assertThat(scheduledLooks(properties)).containsExactly(properties.redelivery())
				.allSatisfy((interval) -> assertThat(interval).isGreaterThanOrEqualTo(Duration.ofSeconds(10)));
		});
	}

	@Test
	void zeroLeavesTheLooksToOtherNodes() {
		this.context.withPropertyValues("nurture.engagement.redelivery=0")
			.run((context) -> assertThat(scheduledLooks(context.getBean(EngagementProperties.class))).isEmpty());
	}

	@ParameterizedTest
	@ValueSource(strings = { "1s", "9s", "-1m" })
	void aLookMoreOftenThanEveryTenSecondsStopsTheStart(String every) {
		assertThat(Settings.refusalOf(this.context, "nurture.engagement.redelivery=" + every))
			.startsWith("nurture.engagement.redelivery must be at least 10s, or 0 for none");
	}

	@Test
	void somethingThatIsNoDurationStopsTheStart() {
		assertThat(Settings.refusalOf(this.context, "nurture.engagement.redelivery=sometimes")).contains("sometimes");
	}

	/** A look that finds the database down logs it and leaves the events to the next look. */
	@Test
	void aLookWhileTheDatabaseIsDownLeavesTheEventsToTheNext() {
		JdbcClient down = JdbcClient.create(new DriverManagerDataSource("jdbc:h2:tcp://127.0.0.1:1/nowhere"));
		var redelivery = new EngagementRedelivery(null, down, Clock.systemUTC(),
				new EngagementProperties(Duration.ofMinutes(1)), new UntoldEngagementMetrics());
		ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
		redelivery.configureTasks(registrar);
		Runnable look = registrar.getFixedDelayTaskList().get(0).getRunnable();

		assertThatCode(look::run).doesNotThrowAnyException();
		assertThatThrownBy(() -> redelivery.tellUntold(Duration.ofMinutes(1)))
			.isInstanceOf(DataAccessResourceFailureException.class);
	}

	/** The intervals of the looks a node with these settings schedules; the first waits one interval too. */
	private static java.util.List<Duration> scheduledLooks(EngagementProperties properties) {
		ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
		new EngagementRedelivery(null, null, null, properties, null).configureTasks(registrar);
		assertThat(registrar.getFixedDelayTaskList()).allSatisfy(
				(task) -> assertThat(task.getInitialDelayDuration()).isEqualTo(task.getIntervalDuration()));
		return registrar.getFixedDelayTaskList().stream().map((task) -> task.getIntervalDuration()).toList();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EngagementProperties.class)
	static class Properties {

	}

}
