package io.nurtureflow.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.nurtureflow.NurtureflowApplication;
import io.nurtureflow.channel.email.FaultySmtpServer;
import io.nurtureflow.channel.email.FaultySmtpServer.SlowToConfirm;
import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.support.Api;
import org.assertj.core.api.SoftAssertions;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node stopped in order (its context closed, as on {@code SIGTERM}) while its job executor
 * sends a journey's email and holds more jobs than its one thread runs: one waiting in the
 * thread pool's queue, others refused by the full queue and kept by the acquisition. The email
 * under way is finished and recorded; the jobs not started are given back, so the node started
 * again on the same database runs them at once rather than after their lock
 * ({@code NURTURE_JOB_LOCK_MS}, 120 s) runs out. The whole application runs, on an in-memory H2
 * of its own, against an SMTP server that answers each message only when the test lets it.
 */
class NodeStopTest {

	private static final int LEADS = 4;

	@Test
	void aNodeStoppedInOrderFinishesTheEmailUnderWayAndGivesBackTheJobsItHadNotStarted() throws Exception {
		ClockUtil.reset();
		String database = "jdbc:h2:mem:node-stop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(database, "sa", ""));
		List<String> leads = IntStream.range(0, LEADS).mapToObj((n) -> "stop-" + n + "@example.com").toList();
		SlowToConfirm mail = FaultySmtpServer.slowToConfirm();
		try (FaultySmtpServer smtp = FaultySmtpServer.onFreePort(mail)) {
			String underWay = stoppedWhileSending(start(database, smtp.port()), leads, mail, jdbc);

			SoftAssertions.assertSoftly((stopped) -> {
				stopped.assertThat(mail.taken()).as("the email under way, taken once").containsOnlyOnce(underWay);
				stopped.assertThat(mail.cutOff()).as("sends cut off").isZero();
				stopped.assertThat(acknowledgement(jdbc, underWay)).as("the email under way, recorded").isEqualTo("SENT");
				stopped.assertThat(lockedJobs(jdbc)).as("jobs the stopped node still holds").isEmpty();
				stopped.assertThat(unfinishedTouches(jdbc)).as("touches cut off, or failed, by the stop").isEmpty();
			});

			try (ConfigurableApplicationContext again = start(database, smtp.port())) {
				Deadline.within(Duration.ofSeconds(30)).polledEvery(Duration.ofMillis(200))
					.await("every lead's acknowledgement, well before a lock would run out",
							() -> mail.taken().containsAll(leads), () -> "taken: " + mail.taken());
			}
			assertThat(mail.taken()).as("each lead's email, once").containsExactlyInAnyOrderElementsOf(leads);
			assertThat(leads).allSatisfy((lead) -> assertThat(acknowledgement(jdbc, lead)).as(lead).isEqualTo("SENT"));
		}
	}

	/**
	 * The leads taken, the node stopped while it sends the first one's email, which the server
	 * answers once the stop has come to the jobs: the node takes no more of them, or waits for its
	 * job threads. Answers the recipient of that email.
	 */
	private static String stoppedWhileSending(ConfigurableApplicationContext node, List<String> leads,
			SlowToConfirm mail, JdbcClient jdbc) throws InterruptedException {
		try {
			Api api = new Api(((WebServerApplicationContext) node).getWebServer().getPort());
			for (String lead : leads) {
				api.postJson("/api/leads", """
						{"email":"%s","firstName":"Ada","consent":{"email":true}}""".formatted(lead));
			}
			mail.awaitHolding(Duration.ofSeconds(30));
			Deadline.within(Duration.ofSeconds(30)).polledEvery(Duration.ofMillis(50))
				.await("the journeys of three leads taken by the node", () -> journeysLocked(jdbc) >= 3,
						() -> journeysLocked(jdbc) + " taken");
			JobExecutor jobs = ((ProcessEngineConfigurationImpl) node.getBean(ProcessEngine.class)
				.getProcessEngineConfiguration()).getJobExecutor();
			ThreadPoolTaskExecutor jobThreads = node.getBean("camundaTaskExecutor", ThreadPoolTaskExecutor.class);

			Thread stopping = new Thread(node::close, "stopping-node");
			stopping.start();
			Deadline.within(Duration.ofSeconds(30)).polledEvery(Duration.ofMillis(20))
				.await("the node stopping its jobs", () -> !jobs.isActive() || !jobThreads.isRunning(),
						() -> "still taking jobs");
			mail.confirm();
			stopping.join(Duration.ofSeconds(60).toMillis());
			assertThat(stopping.isAlive()).as("the node still stopping").isFalse();
			return mail.taken().get(0);
		}
		finally {
			node.close();
		}
	}

	/**
	 * A node with one job thread and room for one batch of jobs in its queue. Its engine has a name
	 * of its own, and it runs without the webapps: Camunda keeps its engines, and each webapp its
	 * runtime, in static fields, and the node, closing, would take out those of the other tests'
	 * context in this JVM (the engine named {@code default}, Cockpit's and Tasklist's runtime).
	 */
	private static ConfigurableApplicationContext start(String database, int smtpPort) {
		SpringApplication node = new SpringApplication(NurtureflowApplication.class);
		node.setAdditionalProfiles("test");
		return node.run("--server.port=0", "--spring.datasource.url=" + database,
				"--camunda.bpm.process-engine-name=stoppingNode", "--camunda.bpm.webapp.enabled=false",
				"--camunda.bpm.job-execution.enabled=true", "--NURTURE_SMTP_HOST=127.0.0.1",
				"--NURTURE_SMTP_PORT=" + smtpPort, "--NURTURE_JOB_THREADS=1", "--NURTURE_JOB_QUEUE=1",
				"--NURTURE_JOB_ACQUISITION_SIZE=3");
	}

	private static List<Map<String, Object>> lockedJobs(JdbcClient jdbc) {
		return jdbc.sql("select ID_, LOCK_OWNER_, LOCK_EXP_TIME_ from ACT_RU_JOB where LOCK_OWNER_ is not null")
			.query()
			.listOfRows();
	}

	/** Touches being sent, or given back after a failed try. */
	private static List<Map<String, Object>> unfinishedTouches(JdbcClient jdbc) {
		return jdbc.sql("select idempotency_key, status, last_error from touch where status in ('SENDING', 'PENDING')")
			.query()
			.listOfRows();
	}

	private static int journeysLocked(JdbcClient jdbc) {
		return jdbc.sql("select count(distinct PROCESS_INSTANCE_ID_) from ACT_RU_JOB where LOCK_OWNER_ is not null")
			.query(Integer.class)
			.single();
	}

	private static String acknowledgement(JdbcClient jdbc, String email) {
		return jdbc.sql("""
				select t.status from touch t join lead l on l.id = t.lead_id
				where l.email = ? and t.activity_id = ?""")
			.params(email, LeadNurture.TASK_SEND_ACKNOWLEDGEMENT)
			.query(String.class)
			.single();
	}

}
