package io.nurtureflow.lead;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.PostgresTest;
import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;
import io.nurtureflow.touch.TouchRequest;
import io.nurtureflow.tracking.TrackingLinks;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every change to a touch and its lead takes their rows in one order: the touch, then the lead
 * (then the journey). A touch's own commits do (its result, then the lead's first reach), so a
 * click or an open arriving while its touch's result is being stored (a mail scanner fetches the
 * moment the message arrives), or an erasure of the lead at that moment, waits for it instead of
 * deadlocking with it. Each test holds a touch's row as its result would, waits until the request
 * waits for it, and then takes the lead's row as the result would next: granted only if the
 * waiting request holds no lock on the lead.
 */
@PostgresTest
class LockOrderOnPostgresTest {

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

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TrackingLinks links;

	@Autowired
	TouchDispatcher dispatcher;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@Test
	void aClickWaitingForItsTouchHoldsNoLockOnTheLead() throws Exception {
		UUID lead = touchedLead();
		long touch = new LeadRecords(this.jdbc).lastTouch(lead);
		String link = this.links.click(touch, lead, "https://nurtureflow.io/pricing");

		int status = sentWhileTheTouchIsHeld(lead, touch,
				() -> this.api.get(link.substring(link.indexOf("/t/c/"))).status());

		assertThat(status).isEqualTo(302);
		assertThat(this.jdbc.sql("select clicked from touch where id = ?").param(touch).query(Boolean.class).single())
			.isTrue();
	}

	@Test
	void anErasureWaitingForATouchHoldsNoLockOnTheLead() throws Exception {
		UUID lead = touchedLead();
		long touch = new LeadRecords(this.jdbc).lastTouch(lead);

		int status = sentWhileTheTouchIsHeld(lead, touch,
				() -> this.api.send(this.api.request("/api/leads/" + lead).DELETE()).status());

		assertThat(status).isEqualTo(204);
		assertThat(this.jdbc.sql("select count(*) from lead where id = ?").param(lead).query(Long.class).single())
			.isZero();
	}

	@Test
	void aRetryWaitingForItsTouchHoldsNoLockOnTheLead() throws Exception {
		UUID lead = touchedLead();
		long touch = new LeadRecords(this.jdbc).lastTouch(lead);
		// the touch's last attempt failed: it waits for its next try
		var row = this.jdbc.sql("update touch set status = 'PENDING' where id = ? returning idempotency_key, channel")
			.param(touch)
			.query()
			.singleRow();
		var retry = new TouchRequest(lead, (String) row.get("idempotency_key"), "test", "Task_Test", "test",
				Channel.valueOf((String) row.get("channel")), "acknowledgement");

		sentWhileTheTouchIsHeld(lead, touch, () -> {
			try {
				this.dispatcher.dispatch(retry);
			}
			catch (RuntimeException ex) {
				// nothing to send with here (no provider): only the order of the locks is looked at
			}
			return 0;
		});
	}

	/** A lead whose journey made its first touches. */
	private UUID touchedLead() {
		var created = this.api.postJson("/api/leads",
				"{\"email\":\"order-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		new JourneyDriver(this.runtime, this.management, this.tasks, this.history).settle(lead);
		return lead;
	}

	/**
	 * Sends the request while another transaction holds the touch's row; once the request waits
	 * for it, takes the lead's row as the touch's result would (failing if the request holds it),
	 * then lets both go. Returns the request's status.
	 */
	private int sentWhileTheTouchIsHeld(UUID lead, long touch, Callable<Integer> request) throws Exception {
		var pool = Executors.newSingleThreadExecutor();
		try (Connection touchResult = this.dataSource.getConnection();
				Connection other = this.dataSource.getConnection()) {
			touchResult.setAutoCommit(false);
			lock(touchResult, "select id from touch where id = " + touch + " for update");
			Future<Integer> answer = pool.submit(request);
			awaitWaitingForALock(other, answer);

			// what the touch's result takes next: the lead's row, to update it (its first reach)
			other.setAutoCommit(false);
			lock(other, "select id from lead where id = '" + lead + "' for no key update nowait");
			other.rollback();

			touchResult.rollback();
			return answer.get();
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void lock(Connection connection, String sql) throws SQLException {
		try (var statement = connection.createStatement()) {
			statement.executeQuery(sql);
		}
	}

	/** Until another session of this database waits for a lock. */
	private static void awaitWaitingForALock(Connection connection, Future<?> request) throws Exception {
		long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try (var statement = connection.createStatement();
					var waiting = statement.executeQuery("""
							select count(*) from pg_stat_activity
							where datname = current_database() and wait_event_type = 'Lock'""")) {
				waiting.next();
				if (waiting.getLong(1) > 0) {
					return;
				}
			}
			assertThat(request.isDone()).as("the request answered without waiting for the touch").isFalse();
			assertThat(System.nanoTime()).as("a session waiting within 30 s").isLessThan(giveUp);
			Thread.sleep(20);
		}
	}

}
