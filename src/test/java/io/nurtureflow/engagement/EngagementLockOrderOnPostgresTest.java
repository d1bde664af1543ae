package io.nurtureflow.engagement;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.PostgresTest;
import io.nurtureflow.tracking.TrackingLinks;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storing engagement takes the touch's row before the lead's, in the order a touch's own
 * commits take them (its result, then the lead's first reach): a click or an open arriving
 * while its touch's result is being stored (a mail scanner fetches the moment the message
 * arrives) waits for it instead of deadlocking with it.
 */
@PostgresTest
class EngagementLockOrderOnPostgresTest {

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

	@Test
	void aClickWaitingForItsTouchHoldsNoLockOnTheLead() throws Exception {
		Api api = new Api(this.port);
		var created = api.postJson("/api/leads",
				"{\"email\":\"order-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		new JourneyDriver(this.runtime, this.management, this.tasks, this.history).settle(lead);
		long touch = new LeadRecords(this.jdbc).lastTouch(lead);
		String link = this.links.click(touch, lead, "https://nurtureflow.io/pricing");

		var pool = Executors.newSingleThreadExecutor();
		try (Connection touchResult = this.dataSource.getConnection();
				Connection other = this.dataSource.getConnection()) {
			touchResult.setAutoCommit(false);
			lock(touchResult, "select id from touch where id = " + touch + " for update");
			Future<Integer> click = pool.submit(() -> api.get(link.substring(link.indexOf("/t/c/"))).status());
			awaitWaitingForALock(other, click);

			// what the touch's result takes next: the lead's row, to update it (its first reach)
			other.setAutoCommit(false);
			lock(other, "select id from lead where id = '" + lead + "' for no key update nowait");
			other.rollback();

			touchResult.rollback();
			assertThat(click.get()).isEqualTo(302);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.jdbc.sql("select clicked from touch where id = ?").param(touch).query(Boolean.class).single())
			.isTrue();
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
			assertThat(request.isDone()).as("the click answered without waiting for the touch").isFalse();
			assertThat(System.nanoTime()).as("a session waiting within 30 s").isLessThan(giveUp);
			Thread.sleep(20);
		}
	}

}
