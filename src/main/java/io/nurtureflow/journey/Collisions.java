package io.nurtureflow.journey;

import java.sql.SQLException;
import java.util.Set;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;

import org.springframework.dao.ConcurrencyFailureException;

/**
 * Tells a collision with another transaction on the same journey from a real failure. Two
 * changes to one journey at the same moment collide in one of these ways: the loser hits the
 * engine's optimistic lock, finds the message subscription it read already taken, or waits for
 * the winner's row lock longer than the database allows (a lock timeout, or chosen as a
 * deadlock's loser), which the engine and Spring report wrapped in their own exceptions. A fresh
 * attempt in a new transaction sees the journey as it is now.
 */
final class Collisions {

	/**
	 * SQLSTATEs of a lock conflict: serialization failure (also H2's deadlock), PostgreSQL's
	 * deadlock and {@code lock_timeout}, H2's lock timeout.
	 */
	private static final Set<String> LOCK_CONFLICTS = Set.of("40001", "40P01", "55P03", "HYT00");

	/** Causes are followed this deep at most (a cycle among causes would otherwise never end). */
	private static final int MAX_DEPTH = 32;

	private Collisions() {
	}

	static boolean collided(RuntimeException ex) {
		if (ex instanceof OptimisticLockingException || ex instanceof ConcurrencyFailureException) {
			return true;
		}
		if (ex instanceof ProcessEngineException && ex.getMessage() != null
				&& ex.getMessage().contains("does not have a subscription")) {
			return true;
		}
		return lockConflict(ex);
	}

	private static boolean lockConflict(Throwable ex) {
		Throwable cause = ex;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if (cause instanceof SQLException sql && (lockConflict(sql) || lockConflict(sql.getNextException()))) {
				return true;
			}
			cause = cause.getCause();
		}
		return false;
	}

	private static boolean lockConflict(SQLException ex) {
		return ex != null && ex.getSQLState() != null && LOCK_CONFLICTS.contains(ex.getSQLState());
	}

}
