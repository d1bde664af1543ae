package io.nurtureflow.insights;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
		StringBuilder plan = new StringBuilder();
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("set enable_seqscan = off");
			try (ResultSet rows = statement.executeQuery("explain " + InsightQueries.WAITING_PER_STEP)) {
				while (rows.next()) {
					plan.append(rows.getString(1)).append('\n');
				}
			}
			finally {
				statement.execute("reset enable_seqscan");
			}
		}
		assertThat(plan.toString()).contains("nf_hi_actinst_waiting_step").doesNotContain("Seq Scan");
	}

}
