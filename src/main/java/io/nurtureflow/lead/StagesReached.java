package io.nurtureflow.lead;

import java.util.List;

/**
 * The funnel's milestones a lead has passed once it is at a stage: reaching {@code SQL} means it
 * was an MQL, a customer was both, and a churned customer was a customer; a disqualified lead was
 * disqualified. Stamped the first time and never cleared, so a lead that leaves the funnel later
 * (unsubscribed, disqualified, churned, or back at {@code NEW} as a returning lead) still counts
 * at every step it reached, and a disqualified lead that came back still counts as disqualified.
 */
final class StagesReached {

	private StagesReached() {
	}

	static List<LeadMilestone> by(LeadStage stage) {
		return switch (stage) {
			case MQL -> List.of(LeadMilestone.MQL);
			case SQL -> List.of(LeadMilestone.MQL, LeadMilestone.SQL);
			case CUSTOMER, CHURNED -> List.of(LeadMilestone.MQL, LeadMilestone.SQL, LeadMilestone.CUSTOMER);
			case DISQUALIFIED -> List.of(LeadMilestone.DISQUALIFIED);
			case NEW, CONTACTED, ENGAGED, UNSUBSCRIBED -> List.of();
		};
	}

}
