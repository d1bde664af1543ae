package io.nurtureflow.scoring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SeniorityTest {

	@ParameterizedTest(name = "\"{0}\" reads as {1}")
	@CsvSource({ "Chief Revenue Officer, EXECUTIVE", "VP Sales, EXECUTIVE", "Co-Founder & CEO, EXECUTIVE",
			"Head of Operations, DIRECTOR", "Director of Marketing, DIRECTOR", "Sales Manager, MANAGER",
			"Team Lead Support, MANAGER", "Account Executive, INDIVIDUAL", "'', UNKNOWN" })
	void titlesReadAsSeniority(String title, Seniority expected) {
		assertThat(Seniority.of(title)).isEqualTo(expected);
	}

}
