package io.nurtureflow.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of {@code bpmn/lead-fit.dmn}, alone, on the DMN engine the journeys use. */
class LeadFitDecisionTest {

	private static DmnDecision points;

	private static DmnDecision grade;

	private static DmnEngine engine;

	@BeforeAll
	static void parse() throws IOException {
		engine = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
		try (InputStream dmn = Files.newInputStream(Path.of("bpmn", "lead-fit.dmn"))) {
			List<DmnDecision> decisions = engine.parseDecisions(dmn);
			points = decisions.stream().filter((d) -> d.getKey().equals(FitDecision.POINTS)).findFirst().orElseThrow();
			grade = decisions.stream().filter((d) -> d.getKey().equals(FitDecision.GRADE)).findFirst().orElseThrow();
		}
	}

	@ParameterizedTest(name = "{0} fires alone: {5} points")
	@CsvSource(delimiter = '|', textBlock = """
			Rule_IndustrySoftware   | software           | ''        | ''         | ''  | 30 | Industry software/SaaS: core vertical
			Rule_IndustrySoftware   | saas               | ''        | ''         | ''  | 30 | Industry software/SaaS: core vertical
			Rule_IndustryFinance    | financial services | ''        | ''         | ''  | 25 | Regulated finance: strong fit
			Rule_IndustryFinance    | insurance          | ''        | ''         | ''  | 25 | Regulated finance: strong fit
			Rule_IndustryOperations | logistics          | ''        | ''         | ''  | 15 | Operations-heavy industry
			Rule_SizeMidMarket      | ''                 | 201-500   | ''         | ''  | 25 | Mid-market size: sweet spot
			Rule_SizeEnterprise     | ''                 | 5001+     | ''         | ''  | 15 | Enterprise size: longer cycle
			Rule_SizeSmall          | ''                 | 11-50     | ''         | ''  | 10 | Small team
			Rule_SizeMicro          | ''                 | 1-10      | ''         | ''  | 0  | Micro company: low fit
			Rule_SeniorityExecutive | ''                 | ''        | executive  | ''  | 30 | Executive: owns the problem
			Rule_SeniorityDirector  | ''                 | ''        | director   | ''  | 25 | Director: budget influence
			Rule_SeniorityManager   | ''                 | ''        | manager    | ''  | 15 | Manager: feels the pain daily
			Rule_SeniorityIndividual| ''                 | ''        | individual | ''  | 5  | Individual contributor
			Rule_CountryServed      | ''                 | ''        | ''         | DE  | 15 | Served market
			""")
	void eachRuleScoresItsCriterion(String rule, String industry, String size, String seniority, String country,
			int expectedPoints, String reason) {
		DmnDecisionResult result = engine.evaluateDecision(points, facts(industry, size, seniority, country));

		assertThat(result).hasSize(1);
		assertThat(((Number) result.get(0).getEntry("points")).intValue()).isEqualTo(expectedPoints);
		assertThat((String) result.get(0).getEntry("reason")).isEqualTo(reason);
	}

	@Test
	void aLeadMatchingNothingScoresNothing() {
		assertThat(engine.evaluateDecision(points, facts("agriculture", "", "unknown", "BR"))).isEmpty();
	}

	@Test
	void criteriaAddUp() {
		DmnDecisionResult result = engine.evaluateDecision(points, facts("software", "51-200", "executive", "US"));

		assertThat(result.stream().mapToInt((r) -> ((Number) r.getEntry("points")).intValue()).sum()).isEqualTo(100);
	}

	@ParameterizedTest(name = "fit {0} is grade {1}")
	@CsvSource({ "100, A", "75, A", "74, B", "50, B", "49, C", "25, C", "24, D", "0, D" })
	void gradesFollowTheFitScore(int fitScore, String expected) {
		assertThat((String) engine.evaluateDecision(grade, Map.of("fitScore", fitScore)).getSingleEntry())
			.isEqualTo(expected);
	}

	private static Map<String, Object> facts(String industry, String size, String seniority, String country) {
		Map<String, Object> facts = new HashMap<>();
		facts.put("industry", industry);
		facts.put("companySize", size);
		facts.put("seniority", seniority);
		facts.put("country", country);
		return facts;
	}

}
