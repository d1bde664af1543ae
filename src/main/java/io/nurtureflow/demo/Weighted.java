package io.nurtureflow.demo;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Values drawn by weight, in a fixed order so that one seed always draws the same values. */
final class Weighted<T extends Comparable<T>> {

	private final TreeMap<T, Integer> weights;

	private final int total;

	Weighted(Map<T, Integer> weights) {
		this.weights = new TreeMap<>(weights);
		this.total = weights.values().stream().mapToInt(Integer::intValue).sum();
	}

	T pick(Random rng) {
		int ticket = rng.nextInt(this.total);
		for (Map.Entry<T, Integer> entry : this.weights.entrySet()) {
			ticket -= entry.getValue();
			if (ticket < 0) {
				return entry.getKey();
			}
		}
		throw new IllegalStateException("weights changed while drawing");
	}

}
