package io.nurtureflow.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * How one demo lead behaves: whether it will buy, how readily it opens and clicks. Every decision
 * about the lead draws from a generator of its own, seeded by the lead and by what is decided, so
 * the outcome does not depend on the order in which the engine hands things over.
 *
 * @param affinity how well the lead's industry, size and source convert (1 is average)
 */
record Persona(long seed, boolean converter, double affinity, double openRate, double clickRate,
		Map<String, Integer> decisions) {

	Persona(long seed, boolean converter, double affinity, double openRate, double clickRate) {
		this(seed, converter, affinity, openRate, clickRate, new HashMap<>());
	}

	/** A fresh generator for the next decision of this kind ("Task_CallNewLead", "touch EMAIL checklist"). */
	Random next(String what) {
		int occurrence = this.decisions.merge(what, 1, Integer::sum);
		return new Random(this.seed * 1_000_003L + what.hashCode() * 7919L + occurrence);
	}

	/** How often the rep has had a call task for the lead so far. */
	int calls() {
		return this.decisions.getOrDefault(DemoScript.CALL, 0);
	}

}
