package io.nurtureflow.lead;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/** A stored lead: who they are, what they consented to, where they stand. */
public record Lead(UUID id, String email, String phone, String firstName, String lastName, String company,
		String title, String industry, CompanySize companySize, String country, ZoneId timeZone, String source,
		String campaign, List<String> interests, boolean consentEmail, boolean consentSms, LeadStage stage,
		Integer fitScore, String fitGrade, BigDecimal engagementScore, Instant createdAt, Instant updatedAt) {

	/** The name to greet the lead by: first and last name as far as known, else nothing. */
	public String displayName() {
		String name = ((this.firstName != null) ? this.firstName : "") + " "
				+ ((this.lastName != null) ? this.lastName : "");
		return name.trim();
	}

}
