package io.nurtureflow.lead;

import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Work in a transaction of its own that a concurrent transaction can make fail: the failure
 * rolled it back whole, so it runs again, up to {@link #ATTEMPTS} times, and the last failure is
 * thrown (a lock lost on every attempt as a {@link ConcurrencyFailureException}, which the API
 * answers as busy).
 */
public final class RunAgain {

	public static final int ATTEMPTS = 3;

	private RunAgain() {
	}

	/**
	 * Whether another transaction beat this one to a row: a deadlock or a lock wait given up, as
	 * Spring reports them; H2 reports a lock it waited for too long as a query timeout (SQLSTATE
	 * {@code HYT00}).
	 */
	public static boolean lostALock(RuntimeException ex) {
		return ex instanceof ConcurrencyFailureException || ex instanceof QueryTimeoutException;
	}

	/** Runs the work again while it {@linkplain #lostALock lost a lock}. */
	public static <T> T onLostLock(Supplier<T> work, Logger log, String what) {
		return when(RunAgain::lostALock, work, log, what);
	}

	/**
	 * Runs the work again while it fails in a way {@code worthAnother} accepts; each new attempt
	 * is logged at debug on the caller's logger.
	 */
	public static <T> T when(Predicate<RuntimeException> worthAnother, Supplier<T> work, Logger log, String what) {
		for (int attempt = 1;; attempt++) {
			try {
				return work.get();
			}
			catch (RuntimeException ex) {
				if (!worthAnother.test(ex)) {
					throw ex;
				}
				if (attempt == ATTEMPTS) {
					throw (ex instanceof QueryTimeoutException timeout)
							? new CannotAcquireLockException(what + " waited too long for a lock on every attempt", timeout)
							: ex;
				}
				log.debug("{} met a concurrent change ({}); attempt {} runs again", what, ex.getClass().getSimpleName(),
						attempt);
			}
		}
	}

}
