package io.nurtureflow.journey;

import java.sql.SQLException;
import java.util.Set;
import java.util.function.Predicate;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;

import org.springframework.dao.ConcurrencyFailureException;

/**
 * Tells a collision with another transaction on the same journey from a real failure. Two
 * changes to one journey at the same moment collide in one of these ways: the loser hits the
 * engine's optimistic lock, finds the message subscription it read already taken, or waits for
 * the winner's row lock longer than the database allows (a lock timeout, or chosen as a
 * deadlock's loser), which the engine and Spring report wrapped in their own exceptions. Or,
 * before any of these, the loser reads part of the journey before the winner's commit and part
 * after it, and the engine trips over a step whose parent is gone: a
 * {@link NullPointerException} in the engine's own code (seen with 16 clicks on one lead at once).
 * A fresh attempt in a new transaction sees the journey as it is now.
 */
final class Collisions {

	/**
	 * SQLSTATEs of a lock conflict: serialization failure (also H2's deadlock), PostgreSQL's
	 * deadlock and {@code lock_timeout}, H2's lock timeout.
	 */
	private static final Set<String> LOCK_CONFLICTS = Set.of("40001", "40P01", "55P03", "HYT00");

	private static final String ENGINE = "org.camunda.bpm.engine.";

	/** Causes are followed this deep at most (a cycle among causes would otherwise never end). */
	private static final int MAX_DEPTH = 32;

	private Collisions() {
	}

	static boolean collided(RuntimeException ex) {
		if (lostALock(ex)) {
			return true;
		}
		if (ex instanceof ProcessEngineException && ex.getMessage() != null
				&& ex.getMessage().contains("does not have a subscription")) {
			return true;
		}
		return among(ex, (cause) -> cause instanceof NullPointerException && thrownByTheEngine(cause));
	}

	/**
	 * The narrow kind: the engine's optimistic lock, or a lock conflict in the database. Neither
	 * can be a fault of the code that met it; a null the engine tripped over might be.
	 */
	static boolean lostALock(RuntimeException ex) {
		if (ex instanceof OptimisticLockingException || ex instanceof ConcurrencyFailureException) {
			return true;
		}
		return among(ex, (cause) -> cause instanceof SQLException sql
				&& (lockConflict(sql) || lockConflict(sql.getNextException())));
	}

	/** Whether the failure, or one of its causes (followed {@value #MAX_DEPTH} deep), is such. */
	static boolean among(Throwable ex, Predicate<Throwable> such) {
		return first(ex, Throwable.class, such) != null;
	}

	/** The failure, or the first of its causes, of this type, or null. */
	static <T extends Throwable> T first(Throwable ex, Class<T> type) {
		return first(ex, type, (cause) -> true);
	}

	/** The failure, or the first of its causes (followed {@value #MAX_DEPTH} deep), of this type and such, or null. */
	static <T extends Throwable> T first(Throwable ex, Class<T> type, Predicate<? super T> such) {
		Throwable cause = ex;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if (type.isInstance(cause) && such.test(type.cast(cause))) {
				return type.cast(cause);
			}
			cause = cause.getCause();
		}
		return null;
	}

	private static boolean thrownByTheEngine(Throwable ex) {
		StackTraceElement[] trace = ex.getStackTrace();
		return trace.length > 0 && trace[0].getClassName().startsWith(ENGINE);
	}

	private static boolean lockConflict(SQLException ex) {
		return ex != null && ex.getSQLState() != null && LOCK_CONFLICTS.contains(ex.getSQLState());
	}

}
