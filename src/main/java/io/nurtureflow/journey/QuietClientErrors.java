package io.nurtureflow.journey;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.camunda.bpm.engine.ProcessEngineException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the engine from logging, with a stack trace, a failure that the engine's REST API answers
 * as a client error. The engine logs the exception of every command it ran for a request before
 * the request's answer is chosen (ENGINE-16004 at {@code ERROR}, or ENGINE-16003 at {@code INFO}
 * for a task claimed by someone else), so each rep who clicked a task another rep had just
 * completed filled the operators' log with a stack trace. Where a resource of the engine's REST
 * API ({@code /engine-rest}, or {@code /camunda/api/engine} that Tasklist and Cockpit call) ran
 * the command, and {@link EngineRestClientErrors} or Camunda answers the failure 4xx, that entry is
 * left out: {@link EngineRestClientErrors} logs it at {@code DEBUG}, as Camunda logs its own 4xx.
 * Everything else, a 500 of the REST API and any failure of a job or of Nurtureflow's own calls,
 * is logged as the engine logs it.
 */
final class QuietClientErrors extends TurboFilter {

	/** The package of the engine's REST resources, in both JAX-RS applications. */
	private static final String REST_RESOURCES = "org.camunda.bpm.engine.rest.";

	private QuietClientErrors() {
	}

	/** Adds the filter to logback once; without logback (another SLF4J binding) nothing is filtered. */
	static synchronized void install() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
				&& logback.getTurboFilterList().stream().noneMatch(QuietClientErrors.class::isInstance)) {
			QuietClientErrors filter = new QuietClientErrors();
			filter.setName("nurtureflow-quiet-client-errors");
			filter.start();
			logback.addTurboFilter(filter);
		}
	}

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
			Throwable thrown) {
		if ((level != Level.ERROR && level != Level.INFO) || !HandledCollisions.ENGINE_COMMANDS.equals(logger.getName())) {
			return FilterReply.NEUTRAL;
		}
		// the engine passes its exception as the last argument, not as the throwable
		Throwable cause = (thrown != null) ? thrown
				: (params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) ? last
						: null;
		boolean clientError = (cause instanceof ProcessEngineException ex && EngineRestClientErrors.answeredAsClientError(ex))
				|| (cause instanceof NullPointerException npe && UncheckedInput.of(npe) != null);
		return (clientError && ranForTheRestApi()) ? FilterReply.DENY : FilterReply.NEUTRAL;
	}

	private static boolean ranForTheRestApi() {
		return StackWalker.getInstance()
			.walk((frames) -> frames.anyMatch((frame) -> frame.getClassName().startsWith(REST_RESOURCES)));
	}

}
