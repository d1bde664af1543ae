package io.nurtureflow.journey;

import java.util.UUID;

import io.nurtureflow.support.Settings;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator may set for the history cleanup, and what the engine is given. */
class HistoryCleanupPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@Test
	void byDefaultTheCleanupRunsEveryNightFromMidnightToSix() {
		this.context.run((context) -> {
			var engine = engineGiven(context.getBean(HistoryCleanupProperties.class));

			assertThat(engine.getHistoryCleanupBatchWindowStartTime()).isEqualTo("00:00");
			assertThat(engine.getHistoryCleanupBatchWindowEndTime()).isEqualTo("06:00");
			assertThat(engine.getHistoryCleanupDegreeOfParallelism()).isEqualTo(1);
			assertThat(engine.getHistoryCleanupBatchSize()).isEqualTo(500);
			assertThat(engine.getHistoryCleanupJobLogTimeToLive()).isEqualTo("P30D");
		});
	}

	@Test
	void aWindowOverMidnightAndOtherSizesAreTakenAsGiven() {
		this.context
			.withPropertyValues("nurture.history-cleanup.window=22:30-04:00", "nurture.history-cleanup.parallelism=4",
					"nurture.history-cleanup.batch-size=100")
			.run((context) -> {
				var engine = engineGiven(context.getBean(HistoryCleanupProperties.class));

				assertThat(engine.getHistoryCleanupBatchWindowStartTime()).isEqualTo("22:30");
				assertThat(engine.getHistoryCleanupBatchWindowEndTime()).isEqualTo("04:00");
				assertThat(engine.getHistoryCleanupDegreeOfParallelism()).isEqualTo(4);
				assertThat(engine.getHistoryCleanupBatchSize()).isEqualTo(100);
			});
	}

	@Test
	void noWindowLeavesTheCleanupToAnOperator() {
		this.context.withPropertyValues("nurture.history-cleanup.window=off").run((context) -> {
			var engine = engineGiven(context.getBean(HistoryCleanupProperties.class));

			// without a start the engine schedules no cleanup job (its end defaults to 00:00)
			assertThat(engine.getHistoryCleanupBatchWindowStartTime()).isNull();
			assertThat(engine.getHistoryCleanupDegreeOfParallelism()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "window=25:00-06:00", "window=0:00-6:00", "window=00:00", "window=03:00-03:00",
			"window=midnight", "window=OFF", "parallelism=0", "parallelism=9", "batch-size=0", "batch-size=501" })
	void aSettingTheEngineCannotHonourStopsTheStartNamingIt(String setting) {
		assertThat(Settings.refusalOf(this.context, "nurture.history-cleanup." + setting)).satisfiesAnyOf(
				(refusal) -> assertThat(refusal).contains(setting.substring(0, setting.indexOf('='))),
				(refusal) -> assertThat(refusal).contains("must not end when it starts"));
	}

	@Test
	void turnedOffWhereTheCleanupWasScheduledTheNightlyJobIsSuspendedAndTurnedOnAgainItResumes() {
		String database = "jdbc:h2:mem:cleanup-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

		Job scheduled = cleanupJobOn(database, "01:00-05:00");
		Job off = cleanupJobOn(database, HistoryCleanupProperties.OFF);
		Job again = cleanupJobOn(database, "02:00-04:00");

		assertThat(scheduled.isSuspended()).isFalse();
		assertThat(scheduled.getDuedate()).isNotNull();
		assertThat(off.getId()).isEqualTo(scheduled.getId());
		assertThat(off.isSuspended()).isTrue();
		assertThat(off.getDuedate()).isNull();
		assertThat(again.getId()).isEqualTo(scheduled.getId());
		assertThat(again.isSuspended()).isFalse();
		assertThat(again.getDuedate()).isNotNull();
	}

	/** Starts an engine with the cleanup {@code window} on {@code database} and answers its cleanup job. */
	private static Job cleanupJobOn(String database, String window) {
		StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
		configuration.setJdbcUrl(database);
		configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
		configuration.setProcessEngineName("cleanup-" + UUID.randomUUID());
		configuration.getProcessEnginePlugins().add(new HistoryCleanup(new HistoryCleanupProperties(window, 1, 500)));
		ProcessEngine engine = configuration.buildProcessEngine();
		try {
			return engine.getHistoryService().findHistoryCleanupJobs().get(0);
		}
		finally {
			engine.close();
		}
	}

	private static StandaloneInMemProcessEngineConfiguration engineGiven(HistoryCleanupProperties properties) {
		var engine = new StandaloneInMemProcessEngineConfiguration();
		new HistoryCleanup(properties).preInit(engine);
		return engine;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HistoryCleanupProperties.class)
	static class Properties {

	}

}
