package io.nurtureflow.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Races: the same kind of call made several times at the same moment, as bursts arrive. */
public final class AtOnce {

	private AtOnce() {
	}

	/**
	 * Makes {@code count} calls, each on a thread of its own, all released together; returns
	 * their results in the order of their index.
	 */
	public static <T> List<T> call(int count, IntFunction<T> call) throws Exception {
		var start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(count);
		try {
			List<Future<T>> answers = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				answers.add(pool.submit(() -> {
					start.await();
					return call.apply(index);
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> answer : answers) {
				results.add(answer.get());
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
