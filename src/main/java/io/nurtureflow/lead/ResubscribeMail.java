package io.nurtureflow.lead;

import java.time.Duration;

/**
 * The email that asks a lead which withdrew email to confirm it wants email again, implemented by
 * the email channel. {@link EmailResubscriptions} decides when it goes and keeps what became of it.
 */
public interface ResubscribeMail {

	/** Whether it really leaves; false when no SMTP server is configured, and it is kept instead. */
	boolean live();

	/**
	 * The longest {@link #send} can take, however slowly the server answers: it is cut off then.
	 * Zero when it does not {@link #live() leave}.
	 */
	Duration longestSend();

	/** The email asking the lead to confirm its request {@code id}, with the link that does. */
	Message compose(long id, Lead lead);

	/**
	 * Hands the email to the SMTP server; answers the server's Message-ID for it.
	 * @throws Refused when the server refuses it for good (trying again will not help)
	 * @throws RuntimeException when it could not be handed over this time
	 */
	String send(Message message);

	/** The email as composed; {@code html} may be null. */
	record Message(String recipient, String subject, String text, String html) {
	}

	/** The email cannot be sent, now or later: the server refused the recipient, or it cannot be built. */
	class Refused extends RuntimeException {

		public Refused(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
