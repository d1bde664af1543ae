package io.nurtureflow.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling for what other processes do, with a deadline instead of a fixed sleep. */
final class Deadline {

	private final long end;

	private Deadline(Duration duration) {
		this.end = System.nanoTime() + duration.toNanos();
	}

	static Deadline within(Duration duration) {
		return new Deadline(duration);
	}

	/** Polls every second until {@code condition} holds; fails with {@code progress} when time is up. */
	void await(String what, BooleanSupplier condition, Supplier<String> progress) {
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > this.end) {
				throw new AssertionError("Timed out waiting for " + what + ": " + progress.get());
			}
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted waiting for " + what, ex);
			}
		}
	}

}
