package io.nurtureflow.lead;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A lead as a client submits it, through the JSON API or as a CSV row. Unknown JSON fields are
 * refused by the object mapper; the rules that need more than an annotation live in
 * {@link LeadValidator}.
 */
public record LeadRequest(
		@NotBlank @Email @Size(max = 254) String email,
		@Size(max = 40) String phone,
		@Size(max = 100) String firstName,
		@Size(max = 100) String lastName,
		@Size(max = 200) String company,
		@Size(max = 200) String title,
		@Size(max = 100) String industry,
		@Size(max = 20) String companySize,
		@Size(max = 2) String country,
		@Size(max = 64) String timeZone,
		@Size(max = 100) String source,
		@Size(max = 200) String campaign,
		@Size(max = 20) List<@NotBlank @Size(max = 100) String> interests,
		@Valid Consent consent) {

	/** The same request with every text trimmed and blank text treated as absent. */
	LeadRequest trimmed() {
		return new LeadRequest(trim(this.email), trim(this.phone), trim(this.firstName), trim(this.lastName),
				trim(this.company), trim(this.title), trim(this.industry), trim(this.companySize), trim(this.country),
				trim(this.timeZone), trim(this.source), trim(this.campaign),
				(this.interests != null) ? this.interests.stream().map((i) -> (i != null) ? i.trim() : null).toList()
						: null,
				this.consent);
	}

	private static String trim(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	/** Consent per channel as the lead gave it; absent means not given. */
	public record Consent(Boolean email, Boolean sms) {
	}

}
