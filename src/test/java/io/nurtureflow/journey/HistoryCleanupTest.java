package io.nurtureflow.journey;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.LeadRecords;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's history cleanup as a node schedules it: in its nightly window, the history of a
 * journey that ended more than its {@code historyTimeToLive} (180 days) ago is removed, and
 * nothing else is. Its own database, since the cleanup removes every expired journey it finds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:history-cleanup;DB_CLOSE_DELAY=-1",
				"nurture.history-cleanup.window=01:00-05:00", "nurture.history-cleanup.parallelism=2" })
@ActiveProfiles("test")
class HistoryCleanupTest {

	/** A Monday, 09:00 UTC. */
	private static final Instant MONDAY = Instant.parse("2031-03-03T09:00:00Z");

	/** A journey's rows in the history tables, and the grants on its tasks' history. */
	private static final String[] HISTORY = { "ACT_HI_PROCINST", "ACT_HI_ACTINST", "ACT_HI_TASKINST",
			"ACT_HI_VARINST", "ACT_HI_DETAIL", "ACT_HI_JOB_LOG", "ACT_HI_IDENTITYLINK", "ACT_RU_AUTHORIZATION" };

	@LocalServerPort
	int port;

	@Autowired
	ProcessEngine engine;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	@Autowired
	JdbcClient jdbc;

	Api api;

	JourneyDriver driver;

	@BeforeEach
	void driveOnTheEngineClock() {
		this.api = new Api(this.port);
		this.driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		JourneyDriver.startClockAt(MONDAY);
	}

	@AfterEach
	void realTime() {
		JourneyDriver.resetClock();
	}

	@Test
	void theEngineRunsTheConfiguredNumberOfCleanupJobsInTheWindow() {
		var configuration = (ProcessEngineConfigurationImpl) this.engine.getProcessEngineConfiguration();

		assertThat(this.history.findHistoryCleanupJobs()).hasSize(2);
		assertThat(configuration.getHistoryCleanupBatchWindowStartTime()).isEqualTo("01:00");
		assertThat(configuration.getHistoryCleanupBatchWindowEndTime()).isEqualTo("05:00");
		assertThat(configuration.getHistoryCleanupBatchSize()).isEqualTo(500);
	}

	@Test
	void anEndedJourneysHistoryGoesAfterItsTimeToLiveAndTheLeadAndItsTouchesStay() {
		UUID expired = notInterested();
		UUID running = lead();
		JourneyDriver.startClockAt(MONDAY.plus(JourneyDriver.days(100)));
		UUID recent = notInterested();
		String expiredJourney = journey(expired);
		String runningJourney = journey(running);
		String recentJourney = journey(recent);
		long touches = touches(expired);
		long runningRows = historyRows(runningJourney);
		long recentRows = historyRows(recentJourney);
		assertThat(touches).isPositive();
		assertThat(historyRows(expiredJourney)).isGreaterThan(10);
		assertThat(rows("ACT_RU_AUTHORIZATION", expiredJourney)).as("reps' grant on the call's history").isOne();

		// the night after 181 days since the first journey ended, in the window
		clockAt(MONDAY.plus(JourneyDriver.days(182)), LocalTime.of(2, 0));
		runCleanup();

		assertThat(historyRows(expiredJourney)).as("history of the journey ended 181 days ago").isZero();
		assertThat(touches(expired)).as("the expired journey's touches in the ledger").isEqualTo(touches);
		assertThat(new LeadRecords(this.jdbc).stage(expired)).isEqualTo("DISQUALIFIED");
		assertThat(historyRows(runningJourney)).as("history of the running journey").isEqualTo(runningRows);
		assertThat(historyRows(recentJourney)).as("history of the journey ended 81 days ago").isEqualTo(recentRows);
	}

	@Test
	void outsideItsWindowTheCleanupWaitsForTheNextOne() {
		String journey = journey(notInterested());
		long rows = historyRows(journey);

		clockAt(MONDAY.plus(JourneyDriver.days(200)), LocalTime.NOON);
		runCleanup();

		assertThat(historyRows(journey)).isEqualTo(rows);
		assertThat(this.history.findHistoryCleanupJobs()).allSatisfy((job) -> {
			assertThat(localTime(job.getDuedate())).isEqualTo(LocalTime.of(1, 0));
			assertThat(job.getDuedate()).isAfter(ClockUtil.now());
		});
	}

	private UUID lead() {
		var created = this.api.postJson("/api/leads", "{\"email\":\"cleanup-" + UUID.randomUUID()
				+ "@example.com\",\"firstName\":\"Ada\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		this.driver.settle(lead);
		return lead;
	}

	/** A lead whose journey ended now: the rep's first call found it not interested. */
	private UUID notInterested() {
		UUID lead = lead();
		this.driver.complete(lead, "Task_CallNewLead",
				Map.of(LeadNurture.CALL_OUTCOME, "not_interested", "callNotes", ""));
		assertThat(this.driver.ended(journey(lead))).isTrue();
		return lead;
	}

	private String journey(UUID lead) {
		return this.driver.journey(lead, LeadNurture.PROCESS_KEY);
	}

	/** Sets the engine clock to {@code time} on the day of {@code day}, in the server's zone (the window's). */
	private static void clockAt(Instant day, LocalTime time) {
		ZoneId zone = ZoneId.systemDefault();
		ClockUtil.setCurrentTime(Date.from(day.atZone(zone).toLocalDate().atTime(time).atZone(zone).toInstant()));
	}

	/**
	 * Runs every cleanup job as the job executor would once it is due (another test of this
	 * class may have moved it to a later night), then those due again, until none is.
	 */
	private void runCleanup() {
		List<Job> due = this.history.findHistoryCleanupJobs();
		for (int round = 0; round < 20 && !due.isEmpty(); round++) {
			due.forEach((job) -> this.management.executeJob(job.getId()));
			Date now = ClockUtil.now();
			due = this.history.findHistoryCleanupJobs().stream().filter((job) -> !job.getDuedate().after(now)).toList();
		}
		assertThat(due).as("cleanup jobs still due").isEmpty();
	}

	private static LocalTime localTime(Date date) {
		return date.toInstant().atZone(ZoneId.systemDefault()).toLocalTime();
	}

	private long historyRows(String journey) {
		long rows = 0;
		for (String table : HISTORY) {
			rows += rows(table, journey);
		}
		return rows;
	}

	private long rows(String table, String journey) {
		return this.jdbc.sql("select count(*) from " + table + " where ROOT_PROC_INST_ID_ = ?")
			.param(journey)
			.query(Long.class)
			.single();
	}

	private long touches(UUID lead) {
		return this.jdbc.sql("select count(*) from touch where lead_id = ?").param(lead).query(Long.class).single();
	}

}
