package io.nurtureflow.lead;

import java.time.Duration;

/**
 * How long an email asking a lead to confirm waits after a failed try before the next: a minute
 * after the first, doubling with each further one, at most an hour. A short SMTP outage delays
 * the email by about as long; a long one is tried hourly rather than hammered, and the email
 * leaves within the hour after the server is back. A claimed try holds its row for the longest
 * a send can take and then the same wait: no other node tries the email again while it may still
 * be leaving, whatever the SMTP server's pace.
 */
final class ResubscribeBackoff {

	static final Duration FIRST = Duration.ofMinutes(1);

	static final Duration LONGEST = Duration.ofHours(1);

	private ResubscribeBackoff() {
	}

	/** The wait after the {@code tries}-th try (counted from 1) failed. */
	static Duration after(int tries) {
		Duration wait = FIRST;
		for (int i = 1; i < tries && wait.compareTo(LONGEST) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(LONGEST) < 0) ? wait : LONGEST;
	}

	/**
	 * How long the {@code tries}-th try (counted from 1) holds its row once claimed: the longest
	 * its send can take, then the wait after it failed. Each node's clock may be off a little, and
	 * the send's end is stored after it: the wait is the margin.
	 */
	static Duration held(int tries, Duration longestSend) {
		return longestSend.plus(after(tries));
	}

}
