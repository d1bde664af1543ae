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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The fit score from {@code bpmn/lead-fit.dmn}, which designers edit: decision
 * {@code lead-fit-points} collects a rule per matching criterion (industry, company size,
 * seniority read from the title, country), and {@code lead-fit-grade} turns the sum into A to D.
 */
@Component
class FitDecision {

	static final String POINTS = "lead-fit-points";

	static final String GRADE = "lead-fit-grade";

	/** The key of this transaction's decided fits among the transaction's resources. */
	private static final Object DECIDED = new Object();

	private final DecisionService decisions;

	FitDecision(DecisionService decisions) {
		this.decisions = decisions;
	}

	/**
	 * The fit of a lead. Within one transaction the same facts are decided once: a new lead is
	 * scored and then shown on its first call task in the same transaction, and the decision is
	 * the dearest part of taking a lead in. The next transaction decides afresh, so a redeployed
	 * table counts at once.
	 */
	Fit assess(Lead lead) {
		Map<String, Object> facts = new HashMap<>();
		facts.put("industry", (lead.industry() != null) ? lead.industry().toLowerCase(Locale.ROOT) : "");
		facts.put("companySize", (lead.companySize() != null) ? lead.companySize().label() : "");
		facts.put("seniority", Seniority.of(lead.title()).value());
		facts.put("country", (lead.country() != null) ? lead.country() : "");
		Map<Map<String, Object>, Fit> decided = decidedInThisTransaction();
		return (decided != null) ? decided.computeIfAbsent(Map.copyOf(facts), this::decide) : decide(facts);
	}

	private Fit decide(Map<String, Object> facts) {
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

	@SuppressWarnings("unchecked")
	private static Map<Map<String, Object>, Fit> decidedInThisTransaction() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		var decided = (Map<Map<String, Object>, Fit>) TransactionSynchronizationManager.getResource(DECIDED);
		if (decided == null) {
			decided = new HashMap<>();
			TransactionSynchronizationManager.bindResource(DECIDED, decided);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(DECIDED);
				}
			});
		}
		return decided;
	}

	record Fit(int score, String grade, List<ScoreCard.FitReason> reasons) {

		Fit {
			reasons = List.copyOf(reasons);
		}

	}

}
