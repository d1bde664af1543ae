package io.nurtureflow.scoring;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The bands as the README gives them: from the SQL threshold SQL, from the MQL one MQL, cold below half of it. */
class ScoreBandTest {

	@ParameterizedTest(name = "{0} with MQL at {1} and SQL at {2} is {3}")
	@CsvSource({ "100, 70, 100, SQL", "99, 70, 100, MQL", "70, 70, 100, MQL", "69, 70, 100, WARM", "35, 70, 100, WARM",
			"34, 70, 100, COLD", "0, 70, 100, COLD", "36, 71, 100, WARM", "35, 71, 100, COLD", "1, 1, 1, SQL",
			"0, 1, 1, COLD" })
	void aTotalFallsInTheBandOfItsThresholds(int total, int mql, int sql, ScoreCard.Band band) {
		assertThat(new ScoringProperties(Map.of(), Duration.ofDays(30), mql, sql).band(total)).isEqualTo(band);
	}

}
