package io.nurtureflow.touch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.AtOnce;
import io.nurtureflow.support.LeadRecords;
import io.nurtureflow.support.PostgresTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frequency cap on PostgreSQL, where transactions that decide at the same moment each read
 * the ledger as it was before any of them committed, unless the lead's row makes them wait.
 */
@PostgresTest
class FrequencyCapOnPostgresTest {

	@LocalServerPort
	int port;

	@Autowired
	TouchDispatcher dispatcher;

	@Autowired
	JdbcClient jdbc;

	@Test
	void touchesDecidedAtTheSameMomentStayWithinTheCap() throws Exception {
		var created = new Api(this.port).postJson("/api/leads",
				"{\"email\":\"cap-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		new LeadRecords(this.jdbc).touchedElsewhere(lead, Instant.now().minus(Duration.ofDays(2)), 2);

		List<TouchStatus> made = AtOnce.touches(this.dispatcher, lead, Channel.EMAIL, 8);

		assertThat(made).containsOnlyOnce(TouchStatus.RECORDED).containsOnly(TouchStatus.RECORDED, TouchStatus.DEFERRED);
	}

}
