package io.nurtureflow.demo;

import java.time.Instant;
import java.util.PriorityQueue;

/** What happens next in the simulated weeks, in order of time (then of planning). */
final class Agenda {

	private final PriorityQueue<Entry> entries = new PriorityQueue<>();

	private long planned;

	void at(Instant at, Runnable action) {
		this.entries.add(new Entry(at, this.planned++, action));
	}

	/** The time of the next entry, or null. */
	Instant next() {
		Entry next = this.entries.peek();
		return (next != null) ? next.at() : null;
	}

	/** Runs every entry due at or before {@code now}, including those they plan for now. */
	int runUntil(Instant now) {
		int ran = 0;
		while (!this.entries.isEmpty() && !this.entries.peek().at().isAfter(now)) {
			this.entries.poll().action().run();
			ran++;
		}
		return ran;
	}

	private record Entry(Instant at, long order, Runnable action) implements Comparable<Entry> {

		@Override
		public int compareTo(Entry other) {
			int byTime = this.at.compareTo(other.at);
			return (byTime != 0) ? byTime : Long.compare(this.order, other.order);
		}

	}

}
