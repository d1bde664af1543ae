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
		int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
	}

	static double share(long part, long whole) {
		return (whole == 0) ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
	}

}
