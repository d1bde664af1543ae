package io.nurtureflow.journey;

import org.springframework.stereotype.Component;

/**
 * {@code ${survey}} in the diagrams: reads a satisfaction answer (0 to 10, as the survey
 * integration pushes it in the engagement's detail) the net-promoter way.
 */
@Component("survey")
public class Survey {

	public boolean promoter(Object answer) {
		return score(answer) >= 9;
	}

	public boolean detractor(Object answer) {
		int score = score(answer);
		return score >= 0 && score <= 6;
	}

	/** The leading number of the answer, or -1 when there is none. */
	static int score(Object answer) {
		if (answer == null) {
			return -1;
		}
		var digits = java.util.regex.Pattern.compile("^\\s*(10|[0-9])\\b").matcher(answer.toString());
		return digits.find() ? Integer.parseInt(digits.group(1)) : -1;
	}

}
