package io.nurtureflow.insights;

import java.util.Arrays;

/**
 * Durations in milliseconds, gathered as rows are read and sorted once in place: a period can
 * hold hundreds of thousands of leads, and a list of boxed numbers costs several times as much
 * to fill and to sort. Percentiles are nearest-rank, as {@link Stats#percentile}.
 */
final class Millis {

	private long[] values = new long[256];

	private int size;

	private boolean sorted = true;

	void add(long millis) {
		if (this.size == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.size * 2);
		}
		this.values[this.size++] = millis;
		this.sorted = false;
	}

	int size() {
		return this.size;
	}

	/** The nearest-rank percentile (0 to 100) in seconds, or null when there are none. */
	Double percentileSeconds(double percent) {
		if (this.size == 0) {
			return null;
		}
		sort();
		return this.values[Stats.nearestRank(percent, this.size)] / 1000.0;
	}

	/** How many are at most {@code millis}. */
	long atMost(long millis) {
		sort();
		int low = 0;
		int high = this.size;
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (this.values[middle] <= millis) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return low;
	}

	private void sort() {
		if (!this.sorted) {
			Arrays.sort(this.values, 0, this.size);
			this.sorted = true;
		}
	}

}
