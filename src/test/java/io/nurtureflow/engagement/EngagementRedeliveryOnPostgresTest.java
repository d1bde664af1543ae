package io.nurtureflow.engagement;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.PostgresTest;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

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

	/**
	 * A conversion stored by a node that died before telling the journeys; four nodes look at
	 * once: the lead becomes a customer with one customer journey. (The customer journey's own
	 * start also refuses a second one, so this shows the looks meeting without harm, not the
	 * telling's claim alone.)
	 */
	@Test
	void looksOfSeveralNodesAtOnceTellAnUntoldConversion() throws Exception {
		var created = new Api(this.port).postJson("/api/leads",
				"{\"email\":\"untold-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
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
	}

}
