package io.nurtureflow.journey;

import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/** {@code ${nextRenewal}}: after a renewal call, the next renewal is one contract term later. */
@Component("nextRenewal")
class NextRenewal implements JavaDelegate {

	private final JourneyTiming timing;

	NextRenewal(JourneyTiming timing) {
		this.timing = timing;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Date current = (Date) execution.getVariable(LeadNurture.RENEWAL_DATE);
		execution.setVariable(LeadNurture.RENEWAL_DATE, this.timing.nextRenewal(current));
	}

}
