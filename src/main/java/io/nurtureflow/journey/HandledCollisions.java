package io.nurtureflow.journey;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the engine from logging, at {@code ERROR} and with a stack trace, a collision that
 * Nurtureflow handles. The engine logs every exception of a command (ENGINE-16004) before it
 * reaches the caller; where the caller runs the work again, or answers {@code 503 busy}, the
 * collision did no harm, and the caller logs what it did (at {@code DEBUG} for another attempt,
 * {@code WARN} when it gave up). Only {@link Collisions collisions} inside work marked with
 * {@link #handledBy} are left out; a collision anywhere else (the engine's REST API, a job) and
 * every other failure is logged as the engine logs it.
 */
final class HandledCollisions extends TurboFilter {

	/** The logger of the engine's command context, which logs ENGINE-16004. */
	static final String ENGINE_COMMANDS = "org.camunda.bpm.engine.context";

	private static final ThreadLocal<Boolean> HANDLED = ThreadLocal.withInitial(() -> false);

	private HandledCollisions() {
	}

	/**
	 * Adds the filter to logback once; without logback (another SLF4J binding) nothing is
	 * filtered.
	 */
	static synchronized void install() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
				&& logback.getTurboFilterList().stream().noneMatch(HandledCollisions.class::isInstance)) {
			HandledCollisions filter = new HandledCollisions();
			filter.setName("nurtureflow-handled-collisions");
			filter.start();
			logback.addTurboFilter(filter);
		}
	}

	/** Runs {@code work}, whose caller handles the collisions it meets, with those kept out of the log. */
	static void handledBy(Runnable work) {
		if (HANDLED.get()) {
			work.run();
			return;
		}
		HANDLED.set(true);
		try {
			work.run();
		}
		finally {
			HANDLED.remove();
		}
	}

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
			Throwable thrown) {
		if (level != Level.ERROR || !HANDLED.get() || !ENGINE_COMMANDS.equals(logger.getName())) {
			return FilterReply.NEUTRAL;
		}
		// the engine passes its exception as the last argument, not as the throwable
		Throwable cause = (thrown != null) ? thrown
				: (params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) ? last
						: null;
		return (cause instanceof RuntimeException ex && Collisions.collided(ex)) ? FilterReply.DENY
				: FilterReply.NEUTRAL;
	}

}
