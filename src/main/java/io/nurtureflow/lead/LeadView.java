package io.nurtureflow.lead;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A lead as the API shows it: the record, its consent, its scores and its running journeys;
 * {@code churnedAt} is when it last churned, or null.
 */
public record LeadView(UUID id, String email, String phone, String firstName, String lastName, String company,
		String title, String industry, String companySize, String country, String timeZone, String source,
		String campaign, List<String> interests, ConsentView consent, String stage, Instant churnedAt,
		ScoresView scores, List<Journeys.ActiveJourney> activeJourneys, Instant createdAt, Instant updatedAt) {

	public record ConsentView(boolean email, boolean sms) {
	}

	public record ScoresView(Integer fit, String grade, BigDecimal engagement) {
	}

	static LeadView of(Lead lead, List<Journeys.ActiveJourney> journeys) {
		return new LeadView(lead.id(), lead.email(), lead.phone(), lead.firstName(), lead.lastName(), lead.company(),
				lead.title(), lead.industry(), (lead.companySize() != null) ? lead.companySize().label() : null,
				lead.country(), lead.timeZone().getId(), lead.source(), lead.campaign(), lead.interests(),
				new ConsentView(lead.consentEmail(), lead.consentSms()), lead.stage().name(), lead.churnedAt(),
				new ScoresView(lead.fitScore(), lead.fitGrade(), lead.engagementScore()), journeys,
				lead.createdAt(), lead.updatedAt());
	}

}
