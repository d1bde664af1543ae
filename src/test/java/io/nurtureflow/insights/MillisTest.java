package io.nurtureflow.insights;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MillisTest {

	@Test
	void percentilesAreTheNearestRankOfTheSortedSample() {
		Random random = new Random(6);
		for (int round = 0; round < 200; round++) {
			int size = 1 + random.nextInt(round < 100 ? 12 : 5_000);
			Millis millis = new Millis();
			List<Double> seconds = new ArrayList<>();
			for (int i = 0; i < size; i++) {
				long value = random.nextInt(10) == 0 ? 300_000 : random.nextInt(900_000);
				millis.add(value);
				seconds.add(value / 1000.0);
			}
			seconds.sort(null);
			for (double percent : new double[] { 0, 1, 50, 90, 99, 100 }) {
				assertThat(millis.percentileSeconds(percent)).as("p%s of %s", percent, seconds)
					.isEqualTo(Stats.percentile(seconds, percent));
			}
			long withinFiveMinutes = seconds.stream().filter((s) -> s <= 300.0).count();
			assertThat(millis.atMost(300_000)).isEqualTo(withinFiveMinutes);
		}
	}

	@Test
	void keepsTheMillisecondsAndAddsAfterReading() {
		Millis millis = new Millis();
		millis.add(1_234);
		millis.add(999);
		assertThat(millis.percentileSeconds(50)).isEqualTo(0.999);
		millis.add(5);
		millis.add(2_000);
		assertThat(millis.percentileSeconds(50)).isEqualTo(0.999);
		assertThat(millis.percentileSeconds(90)).isEqualTo(2.0);
		assertThat(millis.atMost(1_234)).isEqualTo(3);
		assertThat(millis.size()).isEqualTo(4);
	}

	@Test
	void anEmptySampleHasNoPercentile() {
		Millis millis = new Millis();
		assertThat(millis.percentileSeconds(50)).isNull();
		assertThat(millis.atMost(300_000)).isZero();
	}

}
