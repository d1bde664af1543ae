package io.nurtureflow.engagement;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.scoring.LeadScoring;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.PostgresTest;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redelivery of untold engagement on PostgreSQL, where the looks of several nodes take the
 * same untold events at the same moment.
 */
@PostgresTest
class EngagementRedeliveryOnPostgresTest {

	@LocalServerPort
	int port;

	@Autowired
	EngagementRedelivery redelivery;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	HistoryService history;

	@Autowired
	JourneyEvents journeys;

	@Autowired
	LeadScoring scoring;

	@Autowired
	LeadRepository leads;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	Clock clock;

	@Autowired
	UntoldEngagementMetrics metrics;

	/**
	 * A conversion stored by a node that died before telling the journeys; four nodes look at
	 * once: the lead becomes a customer with one customer journey, and one look tried it, so the
	 * event has one of its tries used, not four. (The customer journey's own start also refuses a
	 * second one, so this shows the looks meeting without harm, not the telling's claim alone.)
	 */
	@Test
	void looksOfSeveralNodesAtOnceTellAnUntoldConversion() throws Exception {
		UUID lead = lead();
		Timestamp received = Timestamp.from(Instant.now().minus(Duration.ofMinutes(5)));
		this.jdbc.sql("""
				insert into engagement_event (lead_id, type, detail, occurred_at, received_at, dedupe_key, journeys_told)
				values (?, 'CONVERTED', 'order 2071', ?, ?, ?, false)""")
			.params(lead, received, received, "api:order-2071-" + lead)
			.update();

		AtOnce.call(4, (node) -> this.redelivery.tellUntold(Duration.ofMinutes(1)));

		assertThat(new LeadRecords(this.jdbc).stage(lead)).isEqualTo("CUSTOMER");
		assertThat(this.history.createHistoricProcessInstanceQuery()
			.processInstanceBusinessKey(lead.toString())
			.processDefinitionKey(LeadNurture.CUSTOMER_PROCESS_KEY)
			.count()).isOne();
		assertThat(this.jdbc.sql("select journeys_told from engagement_event where lead_id = ?")
			.param(lead)
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(this.jdbc.sql("select tell_attempts from engagement_event where lead_id = ?")
			.param(lead)
			.query(Integer.class)
			.single()).as("tries counted by the four looks").isOne();
	}

	/**
	 * An event no look can tell (a type a newer node stored during a rolling upgrade), and two
	 * nodes looking every minute: it is tried once a minute, not once a look, so it is given up
	 * after {@value EngagementRedelivery#ATTEMPTS} minutes, as with one node, not after half of them.
	 */
	@Test
	void twoNodesLookingGiveAnEventUpNoSoonerThanOneNode() {
		Duration every = Duration.ofMinutes(1);
		Instant start = Instant.now();
		long event = new LeadRecords(this.jdbc).storedButNeverTold(lead(), null, "WEBINAR_ATTENDED",
				start.minusSeconds(1));
		List<Integer> triesAfterEachMinute = new ArrayList<>();
		try {
			for (int minute = 1; minute <= EngagementRedelivery.ATTEMPTS + 2; minute++) {
				JourneyDriver.startClockAt(start.plus(every.multipliedBy(minute)));
				this.redelivery.tellUntold(every);
				this.redelivery.tellUntold(every);
				triesAfterEachMinute.add(attempts(event));
			}
		}
		finally {
			JourneyDriver.resetClock();
			this.jdbc.sql("delete from engagement_event where id = ?").param(event).update();
		}
		assertThat(triesAfterEachMinute).as("tries after each minute, two looks a minute")
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10);
	}

	/**
	 * A look that outlasts its interval (a node telling a backlog after a crash, here held while
	 * it tells its first event): the event it tries after that is stamped as it is tried, so
	 * another node's look a moment later leaves it alone, and it has one try used, not two.
	 * Stamped with the time the slow look began, it looked a whole interval old and was tried again.
	 */
	@Test
	void aLookThatOutlastsItsIntervalKeepsAnotherNodeOffTheEventsItTriedLate() {
		Duration every = Duration.ofMinutes(1);
		Instant start = Instant.now();
		UUID lead = lead();
		LeadRecords records = new LeadRecords(this.jdbc);
		long first = records.storedButNeverTold(lead, null, "OPENED", start.minusSeconds(2));
		long late = records.storedButNeverTold(lead, null, "WEBINAR_ATTENDED", start.minusSeconds(1));
		Instant slowLookBegins = start.plus(every);
		Instant lateTry = slowLookBegins.plus(every).plusSeconds(30);
		JourneyEvents slowToTell = (leadId, type, detail, unreachable, claim) -> {
			JourneyDriver.startClockAt(lateTry);
			this.journeys.engaged(leadId, type, detail, unreachable, claim);
		};
		EngagementRedelivery slowLook = new EngagementRedelivery(new EngagementRecorder(this.jdbc, slowToTell,
				this.scoring, this.transaction, this.clock, this.leads), this.jdbc, this.clock,
				new EngagementProperties(every), this.metrics);
		try {
			JourneyDriver.startClockAt(slowLookBegins);
			slowLook.tellUntold(every);
			// another node's look, more than an interval after the slow one began
			this.redelivery.tellUntold(every);

			assertThat(records.told(first)).isTrue();
			assertThat(attempts(first)).isOne();
			assertThat(attempts(late)).as("tries of the event the slow look tried late, after the other look")
				.isOne();
		}
		finally {
			JourneyDriver.resetClock();
			this.jdbc.sql("delete from engagement_event where id in (?, ?)").params(first, late).update();
		}
	}

	private UUID lead() {
		var created = new Api(this.port).postJson("/api/leads",
				"{\"email\":\"untold-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().get("id").asText());
	}

	private int attempts(long event) {
		return this.jdbc.sql("select tell_attempts from engagement_event where id = ?")
			.param(event)
			.query(Integer.class)
			.single();
	}

}
