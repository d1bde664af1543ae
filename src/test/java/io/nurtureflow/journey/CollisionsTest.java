package io.nurtureflow.journey;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of a change to a journey are worth a fresh attempt, and which are not. */
class CollisionsTest {

	@Test
	void theEnginesOwnCollisionsAre() {
		assertThat(Collisions.collided(new OptimisticLockingException("Entity was updated by another transaction")))
			.isTrue();
		assertThat(Collisions.collided(new ProcessEngineException(
				"Execution with id 'e1' does not have a subscription to a message event with name 'LeadClicked'")))
			.isTrue();
	}

	/** As the engine reports a statement that waited too long: its exception around MyBatis' around the driver's. */
	@Test
	void lockTimeoutsAndDeadlocksUnderTheEngineAre() {
		assertThat(Collisions.collided(fromTheEngine(new SQLException("Timeout trying to lock table", "HYT00", 50200))))
			.as("H2's lock timeout")
			.isTrue();
		assertThat(Collisions.collided(fromTheEngine(new SQLException("Deadlock detected", "40001", 40001))))
			.as("H2's deadlock")
			.isTrue();
		var batch = new BatchUpdateException("Batch entry 0 was aborted", "40P01", new int[0]);
		batch.setNextException(new SQLException("ERROR: deadlock detected", "40P01"));
		assertThat(Collisions.collided(fromTheEngine(batch))).as("PostgreSQL's deadlock in a batch").isTrue();
		assertThat(Collisions.lostALock(fromTheEngine(batch))).isTrue();
		var behind = new BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
		behind.setNextException(new SQLException("ERROR: canceling statement due to lock timeout", "55P03"));
		assertThat(Collisions.collided(fromTheEngine(behind))).as("PostgreSQL's lock_timeout, behind the batch")
			.isTrue();
	}

	@Test
	void aDelegatesLockConflictAsSpringReportsItIs() {
		assertThat(Collisions.collided(new CannotAcquireLockException("update lead",
				new SQLException("Timeout trying to lock table", "HYT00"))))
			.isTrue();
	}

	/** A stale read: the engine follows an execution's parent that another commit removed. */
	@Test
	void theEnginesNullPointerOnAChangedJourneyIsAndOursIsNot() {
		var stale = new NullPointerException("Cannot invoke \"PvmExecutionImpl.getActivityInstanceId()\"");
		stale.setStackTrace(new StackTraceElement[] { new StackTraceElement(
				"org.camunda.bpm.engine.impl.pvm.runtime.PvmExecutionImpl", "getParentActivityInstanceId",
				"PvmExecutionImpl.java", 1360) });
		assertThat(Collisions.collided(stale)).isTrue();
		assertThat(Collisions.collided(new ProcessEngineException("wrapped", stale))).isTrue();
		assertThat(Collisions.lostALock(new ProcessEngineException("wrapped", stale)))
			.as("not for the engine's REST API, where it might hide a fault")
			.isFalse();

		var ours = new NullPointerException("lead");
		ours.setStackTrace(new StackTraceElement[] {
				new StackTraceElement("io.nurtureflow.journey.ScoreLead", "execute", "ScoreLead.java", 22) });
		assertThat(Collisions.collided(ours)).isFalse();
		var bare = new NullPointerException();
		bare.setStackTrace(new StackTraceElement[0]);
		assertThat(Collisions.collided(bare)).isFalse();
	}

	@Test
	void realFailuresAndOutagesAreNot() {
		assertThat(Collisions.collided(fromTheEngine(new SQLException("relation \"leed\" does not exist", "42P01"))))
			.isFalse();
		assertThat(Collisions.collided(fromTheEngine(new SQLException("terminating connection", "57P01")))).isFalse();
		assertThat(Collisions.collided(new DuplicateKeyException("duplicate"))).isFalse();
		assertThat(Collisions.collided(new NullValueException("No process definition found"))).isFalse();
		assertThat(Collisions.collided(new IllegalStateException("a bug"))).isFalse();
	}

	@Test
	void causesThatFormACycleEndTheSearch() {
		var first = new IllegalStateException("first");
		var second = new IllegalStateException("second", first);
		first.initCause(second);
		assertThat(Collisions.collided(first)).isFalse();
	}

	private static ProcessEnginePersistenceException fromTheEngine(SQLException driver) {
		return new ProcessEnginePersistenceException("An exception occurred in the persistence layer",
				new RuntimeException("### Error updating database", driver));
	}

}
