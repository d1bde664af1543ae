package io.nurtureflow.journey;

import java.time.Duration;
import java.util.Date;
import java.util.Optional;

import io.nurtureflow.touch.ProviderThrottled;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.spring.SpringProcessEngineConfiguration;
import org.camunda.bpm.spring.boot.starter.configuration.impl.DefaultFailedJobConfiguration;

import org.springframework.stereotype.Component;

/**
 * The starter's handling of failed jobs (retry cycles from {@code failedJobRetryTimeCycle}) with
 * one addition: when a sending step failed because the provider asked us to wait
 * ({@link ProviderThrottled}), its next try is not due before that wait is over. Camunda takes a
 * failed job's due date from the retry cycle alone and a delegate has no say in it, so the
 * failed-job command is the one place for this. Being a bean of the starter's type, this
 * replaces the starter's own.
 */
@Component
class FailedJobRetries extends DefaultFailedJobConfiguration {

	@Override
	public void preInit(SpringProcessEngineConfiguration configuration) {
		super.preInit(configuration);
		configuration.setFailedJobCommandFactory(WaitAsTheProviderAsked::new);
	}

	static Optional<Duration> providerWait(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof ProviderThrottled throttled) {
				return Optional.of(throttled.retryAfter());
			}
		}
		return Optional.empty();
	}

	/** Camunda's own retry command, then the due date moved to the end of the provider's wait when that is later. */
	static class WaitAsTheProviderAsked extends DefaultJobRetryCmd {

		WaitAsTheProviderAsked(String jobId, Throwable exception) {
			super(jobId, exception);
		}

		@Override
		public Object execute(CommandContext commandContext) {
			super.execute(commandContext);
			JobEntity job = getJob();
			Optional<Duration> wait = providerWait(this.exception);
			if (job != null && job.getRetries() > 0 && wait.isPresent()) {
				Date notBefore = Date.from(ClockUtil.now().toInstant().plus(wait.get()));
				if (job.getDuedate() == null || job.getDuedate().before(notBefore)) {
					job.setDuedate(notBefore);
				}
			}
			return null;
		}

	}

}
