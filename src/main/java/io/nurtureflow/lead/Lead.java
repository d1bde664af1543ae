package io.nurtureflow.lead;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A stored lead: who they are, what they consented to, where they stand ({@code churnedAt}: when
 * it last became {@code CHURNED}, kept if it signs again).
 */
public record Lead(UUID id, String email, String phone, String firstName, String lastName, String company,
		String title, String industry, CompanySize companySize, String country, ZoneId timeZone, String source,
		String campaign, List<String> interests, boolean consentEmail, boolean consentSms, LeadStage stage,
		Instant churnedAt, Integer fitScore, String fitGrade, BigDecimal engagementScore, Instant createdAt,
		Instant updatedAt) {

	/** The name to greet the lead by: first and last name as far as known, else nothing. */
	public String displayName() {
		String name = ((this.firstName != null) ? this.firstName : "") + " "
				+ ((this.lastName != null) ? this.lastName : "");
		return name.trim();
	}

	/**
	 * This lead with the details it lacks taken from a later submission of it; what it knows
	 * stays. The first source is kept, as a later form may be typed by anyone who knows the
	 * email. The time zone is never blank (the default stands in for one not given), so the first
	 * one stays too.
	 */
	Lead filledFrom(NewLead later) {
		return new Lead(this.id, this.email, known(this.phone, later.phone()), known(this.firstName, later.firstName()),
				known(this.lastName, later.lastName()), known(this.company, later.company()),
				known(this.title, later.title()), known(this.industry, later.industry()),
				known(this.companySize, later.companySize()), known(this.country, later.country()), this.timeZone,
				known(this.source, later.source()), known(this.campaign, later.campaign()),
				this.interests.isEmpty() ? later.interests().stream().sorted().toList() : this.interests,
				this.consentEmail, this.consentSms, this.stage, this.churnedAt, this.fitScore, this.fitGrade,
				this.engagementScore, this.createdAt, this.updatedAt);
	}

	private static <T> T known(T first, T later) {
		return (first != null) ? first : later;
	}

}
