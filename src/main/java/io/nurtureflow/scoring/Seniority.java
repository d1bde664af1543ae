package io.nurtureflow.scoring;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How senior a job title reads: is this the person who wakes up worried about the problem, or
 * someone who owns the budget for it? The fit decision scores the answer. Titles are read in
 * English and in the languages of the markets the fit decision serves (German, French, Dutch,
 * the Nordic languages), and the first level whose words the title holds wins.
 */
enum Seniority {

	/**
	 * Owners and partners of the business, not of a product, a process or a partner programme
	 * ("Product Owner", "HR Business Partner", "Partner Manager").
	 */
	EXECUTIVE(words("chief|ceo|cto|cfo|coo|cio|cmo|cro|president|présidente?|pdg|founder|vp|svp|evp|vice president"
			+ "|(?<!product |process )owner|(?<!business )partner(?! (account |marketing |success )?(manager|lead))"
			+ "|geschäftsführer(in)?|geschaeftsfuehrer(in)?|inhaber(in)?|(mit)?gr(ü|ue)nder(in)?|vorstands?|vorständin"
			+ "|directeur général|directrice générale|fondat(eur|rice)|gérante?|eigenaar|oprichter|algemeen directeur"
			+ "|vd|verkställande direktör|grundare|ägare|administrerende direktør|adm\\. direktør|daglig leder"
			+ "|toimitusjohtaja|perustaja|omistaja")),

	/** Heads of a function; a team's or a project's "Leiter" is a manager. */
	DIRECTOR(words("director|directeur|directrice|direktor(in)?|\\p{L}*direktør|\\p{L}*direktör|head of|head|hoofd"
			+ "|(?!(team|gruppen|projekt)leiter)\\p{L}*leiter(in)?|\\p{L}*johtaja")),

	MANAGER(words("manager|lead|supervisor|principal|responsable|chef de projet|(team|gruppen|projekt)leiter(in)?"
			+ "|teamleider|\\p{L}*päällikkö")),

	INDIVIDUAL(".+"), UNKNOWN("");

	private final Pattern words;

	Seniority(String words) {
		// word boundaries and letters beyond ASCII (ä, é, ø), whatever the Java version's default
		this.words = Pattern.compile(words, Pattern.UNICODE_CHARACTER_CLASS);
	}

	/** Any of the alternatives as whole words. */
	private static String words(String alternatives) {
		return "\\b(" + alternatives + ")\\b";
	}

	static Seniority of(String title) {
		if (title == null || title.isBlank()) {
			return UNKNOWN;
		}
		String normalised = title.toLowerCase(Locale.ROOT);
		for (Seniority seniority : values()) {
			if (seniority != UNKNOWN && seniority.words.matcher(normalised).find()) {
				return seniority;
			}
		}
		return UNKNOWN;
	}

	String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
