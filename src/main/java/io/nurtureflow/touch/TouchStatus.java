package io.nurtureflow.touch;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where a touch stands in the ledger. */
public enum TouchStatus {

	/** Claimed; an attempt failed and the step's retry will try again. Nothing went out. */
	PENDING,

	/** Claimed and handed to the provider; a row left here means the node died mid-send. */
	SENDING,

	/** Rendered and stored instead of sent, because no provider is configured. */
	RECORDED,

	/** Handed to the provider. */
	SENT,

	/** The provider confirmed delivery. */
	DELIVERED,

	/** The provider refused it for good. */
	FAILED,

	/** The contact policy forbids it, now and later. */
	SKIPPED,

	/** The contact policy forbids it now; the journey waits and tries again. */
	DEFERRED;

	/** The statuses that {@link #reachedTheLead() reached the lead}, as an SQL list: {@code ('RECORDED', ...)}. */
	public static final String REACHED_SQL = sqlList(Arrays.stream(values()).filter(TouchStatus::reachedTheLead));

	/** The statuses that {@link #countsAgainstTheCap() count against the frequency cap}, as an SQL list. */
	public static final String CAPPED_SQL = sqlList(Arrays.stream(values()).filter(TouchStatus::countsAgainstTheCap));

	/** Whether a touch in this state reached the lead, or was recorded as if it had. */
	public boolean reachedTheLead() {
		return this == RECORDED || this == SENT || this == DELIVERED;
	}

	/**
	 * Whether a touch in this state counts as made, for the frequency cap: one that reached the
	 * lead, and one claimed and on its way ({@link #SENDING}, or {@link #PENDING} for its retry),
	 * so a touch decided while another is being sent counts that one.
	 */
	public boolean countsAgainstTheCap() {
		return reachedTheLead() || this == SENDING || this == PENDING;
	}

	private static String sqlList(Stream<TouchStatus> statuses) {
		return statuses.map((status) -> "'" + status.name() + "'").collect(Collectors.joining(", ", "(", ")"));
	}

}
