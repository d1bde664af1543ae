package io.nurtureflow.lead;

import java.time.ZoneId;
import java.util.List;

/**
 * A lead that passed validation, in the form it is stored: email trimmed and lower-cased (the
 * dedupe key), phone in E.164, time zone resolved.
 */
public record NewLead(String email, String phone, String firstName, String lastName, String company, String title,
		String industry, CompanySize companySize, String country, ZoneId timeZone, String source, String campaign,
		List<String> interests, boolean consentEmail, boolean consentSms) {

	public NewLead {
		interests = List.copyOf(interests);
	}

}
