package io.nurtureflow.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.UUID;
import java.util.function.IntFunction;

import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;
import io.nurtureflow.touch.TouchRequest;
import io.nurtureflow.touch.TouchStatus;

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

	/**
	 * Touches of one lead that journeys decide at the same moment ({@code acknowledgement}, each
	 * under a key of its own), as parallel branches and two journeys of one lead do; returns what
	 * became of each.
	 */
	public static List<TouchStatus> touches(TouchDispatcher dispatcher, UUID lead, Channel channel, int count)
			throws Exception {
		return call(count, (i) -> dispatcher.dispatch(new TouchRequest(lead, "at-once-" + lead + "-" + i, "test",
				"Task_Test", "test", channel, "acknowledgement")).status());
	}

}
