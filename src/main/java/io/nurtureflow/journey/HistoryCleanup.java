package io.nurtureflow.journey;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

import org.springframework.stereotype.Component;

/**
 * Lets the engine remove what every diagram's {@code historyTimeToLive} promises to remove. The
 * engine only schedules its cleanup job when it is given a window; without one the history of
 * every ended journey would stay for good. Removal is by the time each journey ended plus its
 * time to live (the engine's defaults, {@code removalTimeBased} and {@code end}); Nurtureflow's
 * own records (leads, the touch ledger, engagement) are not touched.
 */
@Component
class HistoryCleanup extends AbstractProcessEnginePlugin {

	/** How long the cleanup job's own log rows are kept; nothing else removes them. */
	static final String OWN_JOB_LOG_TIME_TO_LIVE = "P30D";

	private final HistoryCleanupProperties properties;

	HistoryCleanup(HistoryCleanupProperties properties) {
		this.properties = properties;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		if (this.properties.scheduled()) {
			configuration.setHistoryCleanupBatchWindowStartTime(this.properties.start());
			configuration.setHistoryCleanupBatchWindowEndTime(this.properties.end());
		}
		configuration.setHistoryCleanupDegreeOfParallelism(this.properties.parallelism());
		configuration.setHistoryCleanupBatchSize(this.properties.batchSize());
		configuration.setHistoryCleanupJobLogTimeToLive(OWN_JOB_LOG_TIME_TO_LIVE);
	}

}
