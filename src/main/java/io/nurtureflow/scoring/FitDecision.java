package io.nurtureflow.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.nurtureflow.lead.Lead;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;

import org.springframework.stereotype.Component;

/**
 * The fit score from {@code bpmn/lead-fit.dmn}, which designers edit: decision
 * {@code lead-fit-points} collects a rule per matching criterion (industry, company size,
 * seniority read from the title, country), and {@code lead-fit-grade} turns the sum into A to D.
 */
@Component
class FitDecision {

	static final String POINTS = "lead-fit-points";

	static final String GRADE = "lead-fit-grade";

	private final DecisionService decisions;

	FitDecision(DecisionService decisions) {
		this.decisions = decisions;
	}

	Fit assess(Lead lead) {
		Map<String, Object> facts = new HashMap<>();
		facts.put("industry", (lead.industry() != null) ? lead.industry().toLowerCase(Locale.ROOT) : "");
		facts.put("companySize", (lead.companySize() != null) ? lead.companySize().label() : "");
		facts.put("seniority", Seniority.of(lead.title()).value());
		facts.put("country", (lead.country() != null) ? lead.country() : "");
		List<ScoreCard.FitReason> reasons = new ArrayList<>();
		int score = 0;
		for (DmnDecisionResultEntries rule : this.decisions.evaluateDecisionByKey(POINTS).variables(facts).evaluate()) {
			int points = ((Number) rule.getEntry("points")).intValue();
			String reason = rule.getEntry("reason");
			reasons.add(new ScoreCard.FitReason(POINTS, points, reason));
			score += points;
		}
		String grade = this.decisions.evaluateDecisionByKey(GRADE)
			.variables(Map.of("fitScore", score))
			.evaluate()
			.getSingleEntry();
		return new Fit(score, grade, reasons);
	}

	record Fit(int score, String grade, List<ScoreCard.FitReason> reasons) {
	}

}
