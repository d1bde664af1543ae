package io.nurtureflow.insights;

import java.util.List;

/** Order statistics over a sample, computed in Java so H2 and PostgreSQL answer alike. */
final class Stats {

	private Stats() {
	}

	/** The nearest-rank percentile (0 to 100) of a sorted sample, or null when it is empty. */
	static Double percentile(List<Double> sorted, double percent) {
		if (sorted.isEmpty()) {
			return null;
		}
		return sorted.get(nearestRank(percent, sorted.size()));
	}

	/** Where the nearest-rank percentile (0 to 100) lies in a sorted sample of this size, from 0. */
	static int nearestRank(double percent, int size) {
		int rank = (int) Math.ceil(percent / 100.0 * size);
		return Math.max(0, Math.min(size - 1, rank - 1));
	}

	static double share(long part, long whole) {
		return (whole == 0) ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
	}

}
