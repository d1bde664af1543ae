package io.nurtureflow.journey;

import io.nurtureflow.scoring.LeadScoring;
import io.nurtureflow.scoring.ScoreCard;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/** {@code ${scoreLead}}: scores the lead now and leaves score, band and grade for routing. */
@Component("scoreLead")
class ScoreLead implements JavaDelegate {

	private final LeadScoring scoring;

	ScoreLead(LeadScoring scoring) {
		this.scoring = scoring;
	}

	@Override
	public void execute(DelegateExecution execution) {
		ScoreCard card = this.scoring.rescore(LeadNurture.leadId(execution));
		execution.setVariable(LeadNurture.LEAD_SCORE, card.total());
		execution.setVariable(LeadNurture.SCORE_BAND, card.band().name());
		execution.setVariable(LeadNurture.FIT_GRADE, card.grade());
	}

}
