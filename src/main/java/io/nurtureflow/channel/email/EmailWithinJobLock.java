package io.nurtureflow.channel.email;

import java.time.Duration;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start a node whose job lock an email could outlast. A journey's email is sent by a
 * job, which the node owns for {@code NURTURE_JOB_LOCK_MS} from when it took it; then another node,
 * or this one, takes the job again. The touch's claim keeps that run from sending the email a
 * second time, but it finds the email still being sent, marks it failed and moves the journey on.
 * <p>
 * A send, cut off after {@link EmailProperties#sendDeadline()}, may take at most half the lock,
 * as a resubscribe email's claim may hold at most half its period: the lock runs from when the job
 * was taken, and a job taken while every thread sends waits behind one of those sends first; after
 * its own, it stores what became of it (waiting up to 30 s for a database that went away).
 * <p>
 * Only email has such a deadline: the Twilio SDK's timeouts bound connecting (10 s) and each read
 * (30.5 s), not a whole call, so there is no longest SMS to check. A node that runs no jobs, or
 * records email instead of sending it, has nothing to check.
 */
@Component
class EmailWithinJobLock {

	EmailWithinJobLock(EmailProperties email, Environment environment) {
		if (email.configured() && environment.getProperty("camunda.bpm.job-execution.enabled", Boolean.class, true)) {
			requireHalfTheLockForASend(email, Duration.ofMillis(
					environment.getRequiredProperty("camunda.bpm.job-execution.lock-time-in-millis", Long.class)));
		}
	}

	private static void requireHalfTheLockForASend(EmailProperties email, Duration lock) {
		Duration longestSend = email.sendDeadline();
		if (longestSend.compareTo(lock.dividedBy(2)) > 0) {
			throw new IllegalArgumentException(("An email a journey sends may take up to %s (%d times "
					+ "NURTURE_SMTP_TIMEOUT, %s, before it is cut off); that must be at most half of NURTURE_JOB_LOCK_MS "
					+ "(%d ms), as its job may first wait for a thread behind another send and stores what became of it "
					+ "after. Else the job's lock could run out while the email is still being sent, and the node that "
					+ "takes the job next would mark it failed and move the journey on as if it had not gone. Raise "
					+ "NURTURE_JOB_LOCK_MS to at least %d or lower NURTURE_SMTP_TIMEOUT to at most %s")
				.formatted(longestSend, EmailProperties.TIMEOUTS_PER_SEND, email.timeout(), lock.toMillis(),
						longestSend.multipliedBy(2).toMillis(), lock.dividedBy(2L * EmailProperties.TIMEOUTS_PER_SEND)));
		}
	}

}
