package io.nurtureflow.scoring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.FirstSteps;
import io.nurtureflow.support.NurtureflowTest;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/leads/{id}/score}: which rules fired, which events counted, and how much now. */
@NurtureflowTest
class ScoreExplanationTest {

	private static final Instant START = Instant.parse("2031-05-05T10:00:00Z");

	@LocalServerPort
	int port;

	@Autowired
	HistoryService history;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	RepositoryService repository;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
		ClockUtil.setCurrentTime(Date.from(START));
	}

	@AfterEach
	void realTime() {
		ClockUtil.reset();
	}

	@Test
	void theScoreNamesTheFitRulesAndTheEventsWithTheirDecay() {
		String id = this.api.postJson("/api/leads", """
				{"email":"score-%s@example.com","industry":"Software","companySize":"51-200",
				 "title":"VP Sales","country":"US","consent":{"email":true}}""".formatted(UUID.randomUUID()))
			.json()
			.get("id")
			.asText();
		this.api.postJson("/api/leads/" + id + "/engagements", "{\"type\":\"CONTENT_DOWNLOADED\",\"detail\":\"guide\"}");
		ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofDays(30))));

		JsonNode score = this.api.get("/api/leads/" + id + "/score").json();

		assertThat(score.get("fitScore").asInt()).isEqualTo(100);
		assertThat(score.get("grade").asText()).isEqualTo("A");
		assertThat(score.get("fit").findValuesAsText("reason")).containsExactlyInAnyOrder(
				"Industry software/SaaS: core vertical", "Mid-market size: sweet spot", "Executive: owns the problem",
				"Served market");
		JsonNode download = score.get("engagement").get(0);
		assertThat(download.get("type").asText()).isEqualTo("CONTENT_DOWNLOADED");
		assertThat(download.get("points").asInt()).isEqualTo(15);
		assertThat(download.get("counts").decimalValue()).isEqualByComparingTo("7.50");
		assertThat(score.get("total").asInt()).isEqualTo(108);
		assertThat(score.get("band").asText()).isEqualTo("SQL");
	}

	@Test
	void aFitIsDecidedOncePerSetOfFactsThoughTheScoreIsReadTwice() {
		String industry = "retail-" + UUID.randomUUID();
		long before = decided();

		takeIn("""
				{"email":"once-%s@example.com","industry":"%s","title":"Store Manager"}""", industry);
		// the journey scores the lead and then shows the score on its first call task: one decision
		assertThat(decided() - before).isOne();

		takeIn("""
				{"email":"twice-%s@example.com","industry":"%s","title":"Area Manager"}""", industry);
		// the same facts (industry, no size, a manager, no country) are not decided again
		assertThat(decided() - before).isOne();
	}

	@Test
	void aRedeployedFitTableCountsFromTheNextLeadOn() throws Exception {
		String lead = takeIn("""
				{"email":"before-%s@example.com","industry":"%s","title":"CEO"}""", "before-redeploy");
		assertThat(fitOf(lead)).isEqualTo(30);

		String table = new ClassPathResource("bpmn/lead-fit.dmn").getContentAsString(StandardCharsets.UTF_8);
		String executiveWorthMore = table.replace("""
				<outputEntry id="LiteralExpression_SeniorityExecutive_Points">
				          <text>30</text>""", """
				<outputEntry id="LiteralExpression_SeniorityExecutive_Points">
				          <text>45</text>""");
		assertThat(executiveWorthMore).isNotEqualTo(table);
		var redeployed = this.repository.createDeployment()
			.addString("lead-fit.dmn", executiveWorthMore)
			.name("executives-worth-more")
			.deploy();
		try {
			String later = takeIn("""
					{"email":"after-%s@example.com","industry":"%s","title":"CEO"}""", "before-redeploy");
			assertThat(fitOf(later)).isEqualTo(45);
		}
		finally {
			this.repository.deleteDeployment(redeployed.getId(), true);
		}
	}

	/** Takes a lead in and runs its scoring step; the body's two {@code %s} are a unique id and {@code value}. */
	private String takeIn(String body, String value) {
		String lead = this.api.postJson("/api/leads", body.formatted(UUID.randomUUID(), value))
			.json()
			.get("id")
			.asText();
		FirstSteps.score(this.runtime, this.management, lead);
		return lead;
	}

	private int fitOf(String lead) {
		return this.api.get("/api/leads/" + lead).json().get("scores").get("fit").asInt();
	}

	private long decided() {
		return this.history.createHistoricDecisionInstanceQuery().decisionDefinitionKey(FitDecision.POINTS).count();
	}

	@Test
	void anUnknownLeadHasNoScore() {
		assertThat(this.api.get("/api/leads/" + UUID.randomUUID() + "/score").status()).isEqualTo(404);
		assertThat(this.api.get("/api/leads/" + UUID.randomUUID() + "/score", "X-Api-Key", "wrong").status())
			.isEqualTo(401);
	}

}
