package io.nurtureflow.channel.email;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that sends email and runs jobs refuses to start when an email could outlast the lock of
 * the job sending it. The check reads the settings as a node does, through {@code application.yaml}
 * and its environment variables, with the job executor on and an SMTP server named. The check
 * alone starts: a whole node here would share the engine's static registry with the other tests'
 * nodes in this JVM, and take theirs away when it closes.
 */
class EmailWithinJobLockTest {

	private final ApplicationContextRunner node = new ApplicationContextRunner()
		.withInitializer(new ConfigDataApplicationContextInitializer())
		.withUserConfiguration(Check.class)
		.withPropertyValues("camunda.bpm.job-execution.enabled=true", "NURTURE_SMTP_HOST=127.0.0.1");

	@Test
	void aSendDeadlineOverHalfTheJobLockStopsTheStartSayingWhatToChange() {
		this.node.withPropertyValues("NURTURE_SMTP_TIMEOUT=30s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("An email a journey sends may take up to PT3M (6 times NURTURE_SMTP_TIMEOUT, PT30S, before "
						+ "it is cut off); that must be at most half of NURTURE_JOB_LOCK_MS (120000 ms), as its job may "
						+ "first wait for a thread behind another send and stores what became of it after. Else the job's "
						+ "lock could run out while the email is still being sent, and the node that takes the job next "
						+ "would mark it failed and move the journey on as if it had not gone. Raise NURTURE_JOB_LOCK_MS "
						+ "to at least 360000 or lower NURTURE_SMTP_TIMEOUT to at most PT10S"));
	}

	@Test
	void theDefaultsStart() {
		this.node.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EmailWithinJobLock.class));
	}

	@Test
	void aLockLongEnoughForTheSlowerServerStarts() {
		this.node.withPropertyValues("NURTURE_SMTP_TIMEOUT=30s", "NURTURE_JOB_LOCK_MS=360000")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aNodeThatRunsNoJobsOrSendsNoEmailHasNothingToCheck() {
		this.node.withPropertyValues("NURTURE_SMTP_TIMEOUT=30s", "camunda.bpm.job-execution.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
		this.node.withPropertyValues("NURTURE_SMTP_TIMEOUT=30s", "NURTURE_SMTP_HOST=")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@EnableConfigurationProperties(EmailProperties.class)
	@Import(EmailWithinJobLock.class)
	static class Check {

	}

}
