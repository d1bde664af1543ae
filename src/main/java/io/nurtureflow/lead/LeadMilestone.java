package io.nurtureflow.lead;

/**
 * What the period reports ask of a lead, kept on its row as the time it first happened
 * ({@code db/migration/V9}); see {@link LeadRepository#reachedMilestone}.
 */
public enum LeadMilestone {

	/** Its earliest touch that reached it (recorded, sent or delivered), by the touch's creation time. */
	FIRST_REACHED("first_reached_at"),

	/** Its earliest engagement other than a re-conversion or an opt-out. */
	ENGAGED("engaged_at"),

	/** Its earliest conversion. */
	CONVERTED("converted_at"),

	/** A rep first completed its "Call new lead" task. */
	FIRST_CALL("first_call_at"),

	/**
	 * It first reached stage {@code MQL} or a stage past it ({@link StagesReached}; {@code db/h2/V27}
	 * and {@code db/postgresql/V27}).
	 */
	MQL("mql_at"),

	/** It first reached stage {@code SQL}, or a stage past it. */
	SQL("sql_at"),

	/** It first became a customer. */
	CUSTOMER("customer_at"),

	/**
	 * Sales first disqualified it ({@code db/h2/V29} and {@code db/postgresql/V29}), kept when it
	 * comes back as a lead.
	 */
	DISQUALIFIED("disqualified_at");

	private final String column;

	LeadMilestone(String column) {
		this.column = column;
	}

	String column() {
		return this.column;
	}

}
