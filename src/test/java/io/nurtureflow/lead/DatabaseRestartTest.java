package io.nurtureflow.lead;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.RestartablePostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarted under a running server that is taking leads: while it is down every
 * request is a quick 503 problem with {@code Retry-After}, once it is back the same requests
 * succeed, every lead that was accepted is there with its journey, and none is half in (a lead
 * without its journey, or a journey without its lead). The job executor picks up again too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "camunda.bpm.job-execution.enabled=true",
				// a job the outage broke mid-execution stays locked this long (5 minutes by default)
				"camunda.bpm.job-execution.lock-time-in-millis=10000", "NURTURE_DB_CONNECT_TIMEOUT=2000" })
@ActiveProfiles({ "test", "postgres" })
@ContextConfiguration(initializers = RestartablePostgres.class)
class DatabaseRestartTest {

	/** How long a 503 may take: the pool's connect timeout above, plus time to answer. */
	private static final Duration QUICK = Duration.ofSeconds(5);

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@AfterEach
	void databaseIsBack() {
		if (!RestartablePostgres.running()) {
			RestartablePostgres.start();
		}
	}

	@Test
	void aRestartUnderLoadAnswers503WhileDownAndLeavesNoLeadHalfWritten() throws Exception {
		String knownEmail = newEmail();
		Response known = postLead(knownEmail);
		assertThat(known.status()).as(known.body()).isEqualTo(201);
		String knownId = known.json().get("id").asText();
		String admin = Api.basic("admin", "admin-secret");
		String refusedEmail = newEmail();
		List<Answer> answers;
		try (Load load = new Load(this.api)) {
			load.awaitAnswers((answer) -> answer.status() == 201, 5);
			RestartablePostgres.stop();

			assertUnavailable(() -> postLead(refusedEmail));
			assertUnavailable(() -> this.api.get("/api/leads/" + knownId));
			assertUnavailable(() -> this.api.get("/api/leads?email=" + knownEmail));
			assertUnavailable(() -> this.api.get("/api/leads/" + knownId, "Authorization", admin));
			Response health = this.api.get("/actuator/health");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
			assertThat(this.api.get("/actuator/health/liveness").status())
				.as("a database outage is no reason to restart the node")
				.isEqualTo(200);
			load.awaitAnswers((answer) -> answer.status() == 503, 3);

			RestartablePostgres.start();
			Instant back = Instant.now();
			load.awaitAnswers((answer) -> answer.status() == 201 && answer.at().isAfter(back), 5);
			answers = load.stop();
		}

		// the same requests again: the refused lead was not stored, so it is new now
		assertThat(postLead(refusedEmail).status()).isEqualTo(201);
		assertThat(this.api.get("/api/leads/" + knownId).status()).isEqualTo(200);
		assertThat(this.api.get("/api/leads?email=" + knownEmail).status()).isEqualTo(200);
		assertThat(this.api.get("/api/leads/" + knownId, "Authorization", admin).status()).isEqualTo(200);
		assertThat(this.api.get("/actuator/health").status()).isEqualTo(200);
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.status()).as(answer.body()).isIn(201, 503));
		for (Answer answer : answers) {
			if (answer.status() == 201) {
				assertThat(journeysOf(answer.email())).as("journeys of accepted %s", answer.email()).isOne();
			}
			else {
				assertCleanUnavailable(answer.response());
			}
		}
		assertThat(leadsWithoutJourney()).isZero();
		assertThat(journeysWithoutLead()).isZero();
		awaitEveryLeadAcknowledged();
	}

	private Response postLead(String email) {
		return this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"Ada","consent":{"email":true,"sms":false}}""".formatted(email));
	}

	private static String newEmail() {
		return "restart-" + UUID.randomUUID() + "@example.com";
	}

	private static void assertUnavailable(Supplier<Response> request) {
		Instant start = Instant.now();
		Response response = request.get();
		assertThat(Duration.between(start, Instant.now())).isLessThan(QUICK);
		assertCleanUnavailable(response);
	}

	private static void assertCleanUnavailable(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(503);
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.header("Retry-After")).isNotBlank();
		assertThat(response.json().get("status").asInt()).isEqualTo(503);
	}

	/** The lead's journeys; zero when the lead is not there at all (nothing of it was stored). */
	private long journeysOf(String email) {
		return this.jdbc.sql("""
				select count(p.id_) from lead l
				join act_hi_procinst p on p.business_key_ = cast(l.id as varchar) and p.proc_def_key_ = 'lead-nurture'
				where l.email = ?""").param(email).query(Long.class).single();
	}

	private long leadsWithoutJourney() {
		return this.jdbc.sql("""
				select count(*) from lead l where not exists (
				  select 1 from act_hi_procinst p where p.business_key_ = cast(l.id as varchar))""")
			.query(Long.class)
			.single();
	}

	private long journeysWithoutLead() {
		return this.jdbc.sql("""
				select count(*) from act_hi_procinst p where p.proc_def_key_ = 'lead-nurture' and not exists (
				  select 1 from lead l where cast(l.id as varchar) = p.business_key_)""").query(Long.class).single();
	}

	/** The job executor is back at work: every lead's acknowledgement step has run. */
	private void awaitEveryLeadAcknowledged() {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
		long waiting;
		do {
			waiting = this.jdbc.sql("""
					select count(*) from lead l where not exists (
					  select 1 from touch t where t.lead_id = l.id and t.channel = 'EMAIL' and t.status = 'RECORDED')""")
				.query(Long.class)
				.single();
			if (waiting > 0) {
				pause(Duration.ofMillis(500));
			}
		}
		while (waiting > 0 && Instant.now().isBefore(deadline));
		assertThat(waiting).as("leads still waiting for their acknowledgement").isZero();
	}

	private static void pause(Duration time) {
		try {
			Thread.sleep(time.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Answer(String email, Instant at, Response response) {

		int status() {
			return this.response.status();
		}

		String body() {
			return this.response.body();
		}

	}

	/** Two clients pushing new leads one after another, a little apart, until stopped. */
	static final class Load implements AutoCloseable {

		private static final int CLIENTS = 2;

		private final List<Answer> answers = new ArrayList<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

		private final List<Future<?>> pushing = new ArrayList<>();

		Load(Api api) {
			for (int i = 0; i < CLIENTS; i++) {
				this.pushing.add(this.clients.submit(() -> {
					while (this.running.get()) {
						String email = newEmail();
						Response response = api.postJson("/api/leads", """
								{"email":"%s","firstName":"Ada","consent":{"email":true,"sms":false}}""".formatted(email));
						synchronized (this.answers) {
							this.answers.add(new Answer(email, Instant.now(), response));
						}
						pause(Duration.ofMillis(100));
					}
				}));
			}
		}

		/** Waits (at most half a minute) until {@code count} answers match. */
		void awaitAnswers(Predicate<Answer> matching, int count) {
			Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
			while (matching(matching) < count) {
				assertThat(Instant.now()).as("%d matching answers in time", count).isBefore(deadline);
				pause(Duration.ofMillis(50));
			}
		}

		private long matching(Predicate<Answer> matching) {
			synchronized (this.answers) {
				return this.answers.stream().filter(matching).count();
			}
		}

		/** The answers; a request that got none (the connection dropped) fails the test here. */
		List<Answer> stop() throws Exception {
			close();
			for (Future<?> client : this.pushing) {
				try {
					client.get();
				}
				catch (ExecutionException ex) {
					throw new AssertionError("A request got no answer", ex.getCause());
				}
			}
			synchronized (this.answers) {
				return List.copyOf(this.answers);
			}
		}

		@Override
		public void close() {
			this.running.set(false);
			this.clients.shutdown();
			try {
				assertThat(this.clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
