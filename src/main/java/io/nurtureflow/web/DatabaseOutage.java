package io.nurtureflow.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that cannot be reached (stopped, restarting, unreachable, out of connections)
 * from any other failure, by what the driver or the pool said, wherever it sits among the
 * causes: the engine wraps it in its own exceptions, and when a rollback fails on the broken
 * connection Spring throws the rollback's failure and keeps the first one only as the
 * transaction's application exception. A working database's refusals (bad SQL, a violated
 * constraint) are not outages and keep their own answers.
 */
final class DatabaseOutage {

	/** SQLSTATEs of an unreachable database: connection exceptions, shutdown, starting up, no connection free. */
	private static final String[] OUTAGE_STATES = { "08", "57P01", "57P02", "57P03", "53300" };

	private DatabaseOutage() {
	}

	static boolean causedBy(Throwable failure) {
		Deque<Throwable> causes = new ArrayDeque<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		causes.add(failure);
		while (!causes.isEmpty()) {
			Throwable cause = causes.poll();
			if (!seen.add(cause)) {
				continue;
			}
			if (isOutage(cause)) {
				return true;
			}
			if (cause.getCause() != null) {
				causes.add(cause.getCause());
			}
			if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null) {
				causes.add(rollback.getApplicationException());
			}
		}
		return false;
	}

	private static boolean isOutage(Throwable cause) {
		if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
			return true;
		}
		if (cause instanceof SQLException sql && sql.getSQLState() != null) {
			for (String state : OUTAGE_STATES) {
				if (sql.getSQLState().startsWith(state)) {
					return true;
				}
			}
		}
		return false;
	}

}
