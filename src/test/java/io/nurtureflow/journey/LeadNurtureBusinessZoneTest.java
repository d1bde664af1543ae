package io.nurtureflow.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bpmn/lead-nurture.bpmn} for reps and managers who work in Berlin
 * ({@code NURTURE_BUSINESS_ZONE=Europe/Berlin}), where {@link LeadNurtureProcessTest} has them in
 * UTC: the times the managers read are in their zone. Its own database and server, as the zone is
 * a node's setting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:business-zone;DB_CLOSE_DELAY=-1",
				"nurture.journey.business-zone=Europe/Berlin" })
@ActiveProfiles("test")
class LeadNurtureBusinessZoneTest {

	/** A Monday, 09:00 in Berlin (08:00 UTC): business hours there, and calling hours for a lead in UTC. */
	private static final Instant MONDAY = Instant.parse("2031-03-03T08:00:00Z");

	@LocalServerPort
	int port;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	JourneyDriver driver;

	@BeforeEach
	void startTheClock() {
		this.driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		JourneyDriver.startClockAt(MONDAY);
	}

	@AfterEach
	void realTime() {
		JourneyDriver.resetClock();
	}

	@Test
	void theEscalationShowsWhenTheMissedCallWasDueInTheBusinessZone() {
		UUID lead = lead();
		Task call = this.driver.task(lead, "Task_CallNewLead");

		this.driver.advance(lead, Duration.ofMinutes(6));

		Task escalation = this.driver.task(lead, "Task_EscalateMissedSla");
		assertThat(call.getDueDate().toInstant()).isEqualTo(MONDAY.plus(Duration.ofMinutes(5)));
		assertThat(this.tasks.getVariableLocal(escalation.getId(), "callDue"))
			.isEqualTo("Mon 3 Mar 09:05 (Europe/Berlin)");
	}

	private UUID lead() {
		var created = new Api(this.port).postJson("/api/leads",
				"{\"email\":\"berlin-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		this.driver.settle(lead);
		return lead;
	}

}
