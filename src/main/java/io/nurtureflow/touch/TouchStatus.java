package io.nurtureflow.touch;

/** Where a touch stands in the ledger. */
public enum TouchStatus {

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
	DEFERRED

}
