package io.nurtureflow.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;

import io.nurtureflow.support.PostgresTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
class InsightsOnPostgresTest extends InsightScenarios {

	/**
	 * A partial index serves only a condition that implies its own: if the report and the index
	 * ({@code db/postgresql/V12}) named different kinds of step, PostgreSQL would read the table.
	 * Sequential scans are priced out so that the answer does not depend on how little data this
	 * test has.
	 */
	@Test
	void journeyStepsCanCountWaitingInstancesFromTheirIndex() throws SQLException {
		assertThat(plan(InsightQueries.WAITING_PER_STEP)).contains("nf_hi_actinst_waiting_step")
			.doesNotContain("Seq Scan");
	}

	/** The same for the SLA misses of speed to lead and their index ({@code db/postgresql/V18}). */
	@Test
	void slaMissesCanBeCountedFromTheirIndex() throws SQLException {
		assertThat(plan(InsightQueries.SLA_MISSES, Timestamp.from(this.day),
				Timestamp.from(this.day.plus(Duration.ofDays(1)))))
			.contains("nf_hi_actinst_sla_miss")
			.doesNotContain("Seq Scan");
	}

	/**
	 * The funnel reads only columns of the index on the creation time ({@code db/postgresql/V27}):
	 * at a million journeys a report that had to visit each lead's row as well took seconds
	 * (docs/benchmarks.md, section 5).
	 */
	@Test
	void theFunnelIsAnsweredFromTheIndexAlone() throws SQLException {
		assertThat(plan(InsightQueries.FUNNEL, Timestamp.from(this.day), Timestamp.from(this.day.plus(Duration.ofDays(1)))))
			.contains("Index Only Scan using ix_lead_created_milestones");
	}

	/**
	 * A lead's journeys on its timeline, with the step each ended at and the reason its exit was
	 * given, are read through indexes on the business key and on the process instance alone: the
	 * engine's history holds millions of rows (docs/benchmarks.md measures the timeline at scale).
	 */
	@Test
	void aLeadsJourneysAreReadThroughIndexes() throws SQLException {
		assertThat(plan(InsightQueries.JOURNEYS, java.util.UUID.randomUUID().toString())).doesNotContain("Seq Scan");
	}

	private String plan(String query, Object... parameters) throws SQLException {
		StringBuilder plan = new StringBuilder();
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("set enable_seqscan = off");
			try (PreparedStatement explain = connection.prepareStatement("explain " + query)) {
				for (int i = 0; i < parameters.length; i++) {
					explain.setObject(i + 1, parameters[i]);
				}
				try (ResultSet rows = explain.executeQuery()) {
					while (rows.next()) {
						plan.append(rows.getString(1)).append('\n');
					}
				}
			}
			finally {
				statement.execute("reset enable_seqscan");
			}
		}
		return plan.toString();
	}

}
