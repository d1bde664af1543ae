package io.nurtureflow.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling for what other processes do, with a deadline instead of a fixed sleep. */
final class Deadline {

	private final long end;

	private final Duration poll;

	private Deadline(long end, Duration poll) {
		this.end = end;
		this.poll = poll;
	}

	static Deadline within(Duration duration) {
		return new Deadline(System.nanoTime() + duration.toNanos(), Duration.ofSeconds(1));
	}

	/** The same deadline, polled more often, for a moment that passes within a second. */
	Deadline polledEvery(Duration poll) {
		return new Deadline(this.end, poll);
	}

	/** Polls (every second, unless told) until {@code condition} holds; fails with {@code progress} when time is up. */
	void await(String what, BooleanSupplier condition, Supplier<String> progress) {
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > this.end) {
				throw new AssertionError("Timed out waiting for " + what + ": " + progress.get());
			}
			try {
				Thread.sleep(this.poll.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted waiting for " + what, ex);
			}
		}
	}

}
