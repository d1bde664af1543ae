package io.nurtureflow.touch;

import io.nurtureflow.lead.Lead;

/**
 * A way to reach a lead: composes a content piece into a message and, when a provider is
 * configured, hands it over. Without a provider the dispatcher records the message instead.
 */
public interface TouchChannel {

	Channel channel();

	/** Whether messages really leave; false means record-only mode. */
	boolean live();

	/** Renders the piece for the lead, with tracking where the channel has it. Nothing is sent. */
	ComposedMessage compose(long touchId, Lead lead, String content);

	/**
	 * Hands the message to the provider and returns the provider's id for it.
	 * @throws PermanentSendFailure when the provider refuses it for good
	 * @throws RuntimeException for anything worth a retry (outage, timeout)
	 */
	String transmit(ComposedMessage message);

}
