package io.nurtureflow.scoring;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How senior a job title reads: is this the person who wakes up worried about the problem, or
 * someone who owns the budget for it? The fit decision scores the answer.
 */
enum Seniority {

	EXECUTIVE("\\b(chief|ceo|cto|cfo|coo|cio|cmo|cro|president|founder|owner|partner|vp|svp|evp|vice president)\\b"),
	DIRECTOR("\\b(director|head of|head)\\b"), MANAGER("\\b(manager|lead|supervisor|principal)\\b"),
	INDIVIDUAL(".+"), UNKNOWN("");

	private final Pattern words;

	Seniority(String words) {
		this.words = Pattern.compile(words);
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
