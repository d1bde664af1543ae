package io.nurtureflow.demo;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import io.nurtureflow.journey.LeadNurture;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code NURTURE_DEMO=true} on an empty database: three weeks of leads went through the real
 * intake and journeys on the engine clock before the server took its first request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "nurture.demo.load=true", "nurture.demo.leads=60", "nurture.demo.weeks=3",
				"spring.datasource.url=jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1" })
@ActiveProfiles("test")
class DemoDataTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	HistoryService history;

	@Autowired
	RuntimeService runtime;

	@Test
	void weeksOfLeadsWentThroughTheRealJourneys() {
		assertThat(count("select count(*) from lead where email like 'demo-%' and email not like 'demo-referral-%'"))
			.isEqualTo(60);
		Instant first = this.jdbc.sql("select min(created_at) from lead").query(Timestamp.class).single().toInstant();
		assertThat(first).isBefore(Instant.now().minus(Duration.ofDays(20)));

		assertThat(count("select count(*) from touch where status = 'RECORDED'")).isGreaterThan(60);
		assertThat(count("select count(*) from engagement_event where type in ('OPENED', 'CLICKED') "
				+ "and touch_id is not null")).isPositive();
		assertThat(count("select count(*) from lead where stage = 'CUSTOMER'")).isPositive();

		assertThat(this.history.createHistoricTaskInstanceQuery()
			.taskDefinitionKey(LeadNurture.TASK_CALL_NEW_LEAD)
			.finished()
			.count()).isGreaterThan(10);
		assertThat(this.history.createHistoricActivityInstanceQuery().activityId("Timer_CallSla").finished().count())
			.isPositive();
		assertThat(this.runtime.createIncidentQuery().count()).isZero();
	}

	@Test
	void theEngineClockIsBackToRealTime() {
		assertThat(Duration.between(ClockUtil.now().toInstant(), Instant.now()).abs())
			.isLessThan(Duration.ofMinutes(1));
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
