package io.nurtureflow.channel.email;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An SMTP outage that outlasts every retry: the touches of several leads retry on the step's
 * cycle, become incidents, and a manager retries them through the engine's REST API the way
 * Cockpit does once the server is back. Every lead gets its email once, and only once.
 */
@LiveChannelsTest
class SmtpOutageTest {

	private static final String STEP = LeadNurture.TASK_SEND_ACKNOWLEDGEMENT;

	/** {@code R5/PT1M}, the default of {@code NURTURE_TOUCH_RETRY_CYCLE}. */
	private static final int TRIES = 5;

	private static final Duration RETRY_INTERVAL = Duration.ofMinutes(1);

	private static final String PASSWORD = "manager-secret";

	@LocalServerPort
	int port;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	HistoryService history;

	@Autowired
	IdentityService identity;

	@Autowired
	JdbcClient jdbc;

	Api api;

	String manager;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		ClockUtil.setCurrentTime(Date.from(Instant.parse("2030-06-04T10:00:00Z")));
		this.manager = "manager" + UUID.randomUUID().toString().substring(0, 8);
		User user = this.identity.newUser(this.manager);
		user.setPassword(PASSWORD);
		this.identity.saveUser(user);
		this.identity.createMembership(this.manager, "managers");
	}

	@AfterEach
	void tearDown() {
		ClockUtil.reset();
		this.identity.deleteUser(this.manager);
		LiveChannels.smtpBack();
	}

	@Test
	void anOutageLongerThanTheRetriesEndsInIncidentsAManagerRetriesAndEveryLeadGetsItsEmailOnce() throws Exception {
		List<Lead> leads = List.of(newLead(), newLead(), newLead());
		LiveChannels.stopSmtp();

		for (int attempt = 1; attempt <= TRIES; attempt++) {
			for (Lead lead : leads) {
				Job job = dueSendingJob(lead);
				assertThatThrownBy(() -> this.management.executeJob(job.getId())).isInstanceOf(RuntimeException.class);
				assertThat(touch(lead)).containsEntry("STATUS", "PENDING").containsEntry("ATTEMPTS", attempt);
				assertWaitsForTheNextTry(lead, TRIES - attempt);
			}
			ClockUtil.setCurrentTime(Date.from(now().plus(RETRY_INTERVAL)));
		}

		for (Lead lead : leads) {
			Incident incident = this.runtime.createIncidentQuery().processInstanceId(lead.journey()).singleResult();
			assertThat(incident.getActivityId()).isEqualTo(STEP);
			assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
		}

		ClockUtil.setCurrentTime(Date.from(now().plus(Duration.ofMinutes(30))));
		LiveChannels.startSmtp();
		for (Lead lead : leads) {
			Response incidents = this.api.get("/engine-rest/incident?processInstanceId=" + lead.journey(),
					"Authorization", Api.basic(this.manager, PASSWORD));
			assertThat(incidents.status()).as(incidents.body()).isEqualTo(200);
			String failedJob = incidents.json().get(0).get("configuration").asText();
			assertThat(retry(failedJob).status()).isEqualTo(204);
		}
		for (Lead lead : leads) {
			// one job: the ledger, not an async-after boundary, keeps a later failure from sending again
			this.management.executeJob(dueSendingJob(lead).getId());
			assertThat(this.management.createJobQuery().processInstanceId(lead.journey()).activityId(STEP).count())
				.isZero();
		}

		for (Lead lead : leads) {
			assertThat(received(lead)).hasSize(1);
			assertThat(touch(lead)).containsEntry("STATUS", "SENT")
				.containsEntry("ATTEMPTS", TRIES + 1)
				.containsEntry("PROVIDER_ID", received(lead).get(0).getMessageID());
			assertThat(this.runtime.createIncidentQuery().processInstanceId(lead.journey()).count()).isZero();
			assertThat(this.history.createHistoricActivityInstanceQuery()
				.processInstanceId(lead.journey())
				.activityId("EndEvent_Acknowledged")
				.finished()
				.count()).isOne();
		}
		assertThat(LiveChannels.smtp().getReceivedMessages()).hasSize(leads.size());
	}

	/** The failed job waits a retry interval from now, or, with no tries left, is an incident. */
	private void assertWaitsForTheNextTry(Lead lead, int triesLeft) {
		Job job = this.management.createJobQuery().processInstanceId(lead.journey()).activityId(STEP).singleResult();
		assertThat(job.getRetries()).isEqualTo(triesLeft);
		assertThat(job.getExceptionMessage()).isNotBlank();
		assertThat(this.management.createJobQuery().jobId(job.getId()).executable().count()).isZero();
		if (triesLeft > 0) {
			assertThat(job.getDuedate()).isEqualTo(Date.from(now().plus(RETRY_INTERVAL)));
			assertThat(this.runtime.createIncidentQuery().processInstanceId(lead.journey()).count()).isZero();
		}
		else {
			assertThat(this.runtime.createIncidentQuery().processInstanceId(lead.journey()).count()).isOne();
		}
	}

	/** {@code PUT /engine-rest/job/{id}/retries}, as Cockpit's retry dialog sends it for a failed job. */
	private Response retry(String jobId) {
		return this.api.send(this.api.request("/engine-rest/job/" + jobId + "/retries", "Authorization",
				Api.basic(this.manager, PASSWORD))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"retries\":1}")));
	}

	private Job dueSendingJob(Lead lead) {
		Job job = this.management.createJobQuery()
			.processInstanceId(lead.journey())
			.activityId(STEP)
			.executable()
			.singleResult();
		assertThat(job).as("a due job at %s of %s", STEP, lead.email()).isNotNull();
		return job;
	}

	private Lead newLead() {
		String email = "outage-" + UUID.randomUUID() + "@example.com";
		Response created = this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"Ada","consent":{"email":true,"sms":false}}""".formatted(email));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID id = UUID.fromString(created.json().get("id").asText());
		String journey = this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(id.toString())
			.singleResult()
			.getId();
		return new Lead(id, email, journey);
	}

	private Map<String, Object> touch(Lead lead) {
		return this.jdbc.sql("select status, attempts, provider_id from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead.id())
			.query()
			.singleRow();
	}

	private List<MimeMessage> received(Lead lead) throws MessagingException {
		List<MimeMessage> mine = new ArrayList<>();
		for (MimeMessage mail : LiveChannels.smtp().getReceivedMessages()) {
			if (mail.getAllRecipients()[0].toString().equals(lead.email())) {
				mine.add(mail);
			}
		}
		return mine;
	}

	private static Instant now() {
		return ClockUtil.now().toInstant();
	}

	private record Lead(UUID id, String email, String journey) {
	}

}
