package io.nurtureflow.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.nurtureflow.lead.Lead;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The fit score from {@code bpmn/lead-fit.dmn}, which designers edit: decision
 * {@code lead-fit-points} collects a rule per matching criterion (industry, company size,
 * seniority read from the title, country), and {@code lead-fit-grade} turns the sum into A to D.
 * <p>
 * The tables read nothing but these four facts, so a fit is decided once per set of facts and
 * version of the tables, and remembered: evaluating them was the dearest part of taking a lead
 * in (the FEEL engine rebuilds its built-in functions on every evaluation). A redeployed table
 * has new definition ids, so it counts from the next lead on. The engine's decision history
 * therefore holds one evaluation per set of facts and version, not one per lead; a lead's own
 * reasons are in its score explanation.
 */
@Component
class FitDecision {

	static final String POINTS = "lead-fit-points";

	static final String GRADE = "lead-fit-grade";

	/** More sets of facts than this and the memory starts afresh; a few hundred occur in practice. */
	static final int REMEMBERED = 10_000;

	/** The key of this transaction's decided fits among the transaction's resources. */
	private static final Object DECIDED = new Object();

	private final DecisionService decisions;

	private final RepositoryService repository;

	private final Map<Decided, Fit> remembered = new ConcurrentHashMap<>();

	FitDecision(DecisionService decisions, RepositoryService repository) {
		this.decisions = decisions;
		this.repository = repository;
	}

	/**
	 * The fit of a lead. Within one transaction the same facts are looked up once: a new lead is
	 * scored and then shown on its first call task in the same transaction.
	 */
	Fit assess(Lead lead) {
		Map<String, Object> facts = new HashMap<>();
		facts.put("industry", (lead.industry() != null) ? lead.industry().toLowerCase(Locale.ROOT) : "");
		facts.put("companySize", (lead.companySize() != null) ? lead.companySize().label() : "");
		facts.put("seniority", Seniority.of(lead.title()).value());
		facts.put("country", (lead.country() != null) ? lead.country() : "");
		Map<Map<String, Object>, Fit> decided = decidedInThisTransaction();
		return (decided != null) ? decided.computeIfAbsent(Map.copyOf(facts), this::lookUp) : lookUp(facts);
	}

	private Fit lookUp(Map<String, Object> facts) {
		Decided key = new Decided(latest(POINTS), latest(GRADE), Map.copyOf(facts));
		Fit fit = this.remembered.get(key);
		if (fit == null) {
			fit = decide(key);
			if (this.remembered.size() >= REMEMBERED) {
				this.remembered.clear();
			}
			this.remembered.put(key, fit);
		}
		return fit;
	}

	private String latest(String key) {
		DecisionDefinition definition = this.repository.createDecisionDefinitionQuery()
			.decisionDefinitionKey(key)
			.latestVersion()
			.singleResult();
		if (definition == null) {
			throw new IllegalStateException("Decision " + key + " is not deployed");
		}
		return definition.getId();
	}

	private Fit decide(Decided key) {
		List<ScoreCard.FitReason> reasons = new ArrayList<>();
		int score = 0;
		for (DmnDecisionResultEntries rule : this.decisions.evaluateDecisionById(key.points())
			.variables(key.facts())
			.evaluate()) {
			int points = ((Number) rule.getEntry("points")).intValue();
			String reason = rule.getEntry("reason");
			reasons.add(new ScoreCard.FitReason(POINTS, points, reason));
			score += points;
		}
		String grade = this.decisions.evaluateDecisionById(key.grade())
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

	/** A set of facts decided by given versions of the two tables. */
	private record Decided(String points, String grade, Map<String, Object> facts) {
	}

	record Fit(int score, String grade, List<ScoreCard.FitReason> reasons) {

		Fit {
			reasons = List.copyOf(reasons);
		}

	}

}
