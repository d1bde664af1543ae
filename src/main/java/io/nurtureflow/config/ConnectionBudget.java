package io.nurtureflow.config;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Warns at start when the connection pool is too small for the job executor: a sending job holds
 * its own transaction's connection and takes a second one for the touch's claim and result, and
 * the acquisition takes one. Short of that, claims and results wait out the connection timeout
 * and fail, which turns sends into retries and, at worst, touches marked failed.
 */
@Component
class ConnectionBudget {

	private static final Logger log = LoggerFactory.getLogger(ConnectionBudget.class);

	private final DataSource dataSource;

	private final Environment environment;

	ConnectionBudget(DataSource dataSource, Environment environment) {
		this.dataSource = dataSource;
		this.environment = environment;
	}

	@EventListener(ApplicationReadyEvent.class)
	void check() {
		boolean jobs = this.environment.getProperty("camunda.bpm.job-execution.enabled", Boolean.class, true);
		if (!(this.dataSource instanceof HikariDataSource pool) || !jobs) {
			return;
		}
		int threads = this.environment.getProperty("camunda.bpm.job-execution.max-pool-size", Integer.class, 0);
		String advice = advice(pool.getMaximumPoolSize(), threads);
		if (advice != null) {
			log.warn(advice);
		}
	}

	/** What is wrong with a pool of this size for this many job threads, or null if nothing is. */
	static String advice(int poolSize, int jobThreads) {
		int needed = needed(jobThreads);
		if (jobThreads <= 0 || poolSize >= needed) {
			return null;
		}
		return ("NURTURE_DB_POOL_SIZE is %d, but %d job threads need %d connections before any HTTP request: "
				+ "a sending job takes two (its own transaction, and the touch's claim and result), the acquisition "
				+ "one; raise NURTURE_DB_POOL_SIZE to at least %d plus your HTTP callers").formatted(poolSize,
						jobThreads, needed, needed);
	}

	static int needed(int jobThreads) {
		return 2 * jobThreads + 1;
	}

}
