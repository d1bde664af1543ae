package io.nurtureflow.config;

import java.util.List;

import io.nurtureflow.support.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage settings Nurtureflow's PostgreSQL migrations give the engine's own tables (the
 * engine creates them without): the job table's statistics kept fresh (V8) and room on the
 * variable tables' pages for updates that touch no index (V13).
 */
@PostgresTest
class PostgresTableSettingsTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void theJobTableIsAnalysedAfterOnePercentChanged() {
		assertThat(settings("act_ru_job")).contains("autovacuum_analyze_scale_factor=0.01",
				"autovacuum_vacuum_scale_factor=0.02");
	}

	@Test
	void variablePagesKeepRoomForTheirRowsNextVersion() {
		assertThat(settings("act_ru_variable")).contains("fillfactor=80");
		assertThat(settings("act_hi_varinst")).contains("fillfactor=90");
	}

	private List<String> settings(String table) {
		return this.jdbc.sql("select unnest(reloptions) from pg_class where relname = ? and relkind = 'r'")
			.param(table)
			.query(String.class)
			.list();
	}

}
