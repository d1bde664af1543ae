package io.nurtureflow.web;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;

import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures mean the database went away (503) and which are failures of a working one. */
class DatabaseOutageTest {

	@Test
	void aPoolThatFindsNoConnectionIsAnOutage() {
		var timeout = new SQLTransientConnectionException("HikariPool-1 - Connection is not available",
				"08001", new ConnectException("Connection refused"));
		assertThat(DatabaseOutage.causedBy(new IllegalStateException("wrapped", timeout))).isTrue();
	}

	@Test
	void aShutdownOrBrokenConnectionUnderTheEngineIsAnOutage() {
		var shutdown = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
		var broken = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		assertThat(DatabaseOutage.causedBy(fromTheEngine(shutdown))).isTrue();
		assertThat(DatabaseOutage.causedBy(fromTheEngine(broken))).isTrue();
	}

	/** What a request got when PostgreSQL stopped under it: the rollback's failure hides the first one. */
	@Test
	void aRollbackThatFailedOnTheBrokenConnectionIsAnOutage() {
		var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
		rollback.initApplicationException(fromTheEngine(new SQLException("FATAL: terminating connection", "57P01")));
		assertThat(DatabaseOutage.causedBy(rollback)).isTrue();
	}

	@Test
	void aWorkingDatabasesRefusalsAndOurOwnBugsAreNot() {
		assertThat(DatabaseOutage.causedBy(fromTheEngine(new SQLException("relation \"leed\" does not exist", "42P01"))))
			.isFalse();
		assertThat(DatabaseOutage
			.causedBy(new RuntimeException(new SQLIntegrityConstraintViolationException("duplicate", "23505"))))
			.isFalse();
		assertThat(DatabaseOutage.causedBy(new SQLException("Connection is closed"))).isFalse();
		assertThat(DatabaseOutage.causedBy(new NullPointerException())).isFalse();
		var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
		rollback.initApplicationException(new IllegalArgumentException("a bug"));
		assertThat(DatabaseOutage.causedBy(rollback)).isFalse();
	}

	/** How the engine reports a failed statement: its own exception around MyBatis' around the driver's. */
	private static ProcessEnginePersistenceException fromTheEngine(SQLException driver) {
		return new ProcessEnginePersistenceException("An exception occurred in the persistence layer",
				new RuntimeException("### Error querying database", driver));
	}

}
