package io.nurtureflow.channel.email;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.NurtureflowApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node that sends email and runs jobs refuses to start when an email could outlast the lock of
 * the job sending it. The whole application starts, as a node does, with its job executor on and
 * an SMTP server named (nothing is sent: no journey runs), on an in-memory H2 of its own.
 */
class EmailWithinJobLockTest {

	@Test
	void aSendDeadlineOverHalfTheJobLockStopsTheStartSayingWhatToChange() {
		assertThatThrownBy(() -> start("NURTURE_SMTP_TIMEOUT=30s")).rootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("An email a journey sends may take up to PT3M (6 times NURTURE_SMTP_TIMEOUT, PT30S, before it "
					+ "is cut off); that must be at most half of NURTURE_JOB_LOCK_MS (120000 ms), as its job may first "
					+ "wait for a thread behind another send and stores what became of it after. Else the job's lock "
					+ "could run out while the email is still being sent, and the node that takes the job next would "
					+ "mark it failed and move the journey on as if it had not gone. Raise NURTURE_JOB_LOCK_MS to at "
					+ "least 360000 or lower NURTURE_SMTP_TIMEOUT to at most PT10S");
	}

	@Test
	void theDefaultsStart() {
		try (ConfigurableApplicationContext node = start()) {
			assertThat(node.isActive()).isTrue();
		}
	}

	@Test
	void aLockLongEnoughForTheSlowerServerStarts() {
		try (ConfigurableApplicationContext node = start("NURTURE_SMTP_TIMEOUT=30s", "NURTURE_JOB_LOCK_MS=360000")) {
			assertThat(node.isActive()).isTrue();
		}
	}

	/** A node with these settings (environment variables, by name) on top of a sending node's. */
	private static ConfigurableApplicationContext start(String... settings) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:job-lock-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--camunda.bpm.job-execution.enabled=true", "--NURTURE_SMTP_HOST=127.0.0.1"));
		for (String setting : settings) {
			arguments.add("--" + setting);
		}
		SpringApplication node = new SpringApplication(NurtureflowApplication.class);
		node.setAdditionalProfiles("test");
		return node.run(arguments.toArray(String[]::new));
	}

}
