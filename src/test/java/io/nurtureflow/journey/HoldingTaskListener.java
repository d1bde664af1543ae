package io.nurtureflow.journey;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;

/**
 * Stops the first request that reaches it inside its engine command, until the test lets it go.
 * By then the request has read the task, and it writes the task only when it goes on: whatever
 * changes the task meanwhile wins the race, every time. Requests after the first pass at once.
 * The engine makes a new listener for every event, so the hold is kept here, armed by the test.
 */
public final class HoldingTaskListener implements TaskListener {

	private static final long WAIT_SECONDS = 30;

	private static volatile Hold hold;

	/** Holds the next request that reaches a listener of this class. */
	static Hold holdFirst() {
		Hold next = new Hold();
		hold = next;
		return next;
	}

	/** Lets a held request go, if one is, and holds no more. */
	static void disarm() {
		Hold armed = hold;
		hold = null;
		if (armed != null) {
			armed.release();
		}
	}

	@Override
	public void notify(DelegateTask task) {
		Hold armed = hold;
		if (armed != null) {
			armed.stopFirst();
		}
	}

	static final class Hold {

		private final AtomicBoolean taken = new AtomicBoolean();

		private final CountDownLatch reached = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		private void stopFirst() {
			if (this.taken.compareAndSet(false, true)) {
				this.reached.countDown();
				await(this.released, "the test to release the held request");
			}
		}

		/** Waits until a request is held inside its command. */
		void awaitReached() {
			await(this.reached, "a request to reach the listener");
		}

		void release() {
			this.released.countDown();
		}

		private static void await(CountDownLatch latch, String what) {
			try {
				if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
					throw new AssertionError("Waited " + WAIT_SECONDS + " s for " + what);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted waiting for " + what, ex);
			}
		}

	}

}
