package io.nurtureflow.channel.email;

import java.time.Duration;
import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * SMTP. Without a host, email runs in record-only mode.
 *
 * @param timeout how long connecting, and each read and write, may take; a whole send at most
 * {@value #TIMEOUTS_PER_SEND} times this ({@link #sendDeadline()})
 * @param starttls whether to upgrade the connection with STARTTLS (and require it)
 * @param managerEmails who gets internal notices such as a missed call SLA
 * @param messagesPerConnection how many messages one SMTP connection carries before it is closed
 */
@Validated
@ConfigurationProperties("nurture.email")
record EmailProperties(String smtpHost, @Min(1) @Max(65535) @DefaultValue("587") int smtpPort, String smtpUser,
		String smtpPassword, @DefaultValue("false") boolean starttls,
		@NotBlank @DefaultValue("Nurtureflow <hello@localhost>") String from,
		@DurationMin(seconds = 1) @DefaultValue("10s") Duration timeout, @DefaultValue List<String> managerEmails,
		@Min(1) @DefaultValue("100") int messagesPerConnection) {

	/**
	 * How many timeouts one send may take in all: a new connection is a dozen round trips
	 * (greeting, EHLO, STARTTLS and its handshake, AUTH, MAIL, RCPT, DATA and its end), each
	 * answered in milliseconds by a sound server.
	 */
	static final int TIMEOUTS_PER_SEND = 6;

	EmailProperties {
		// a sender or manager the SMTP server cannot take would fail every message, not the start
		if (from != null && !from.isBlank()) {
			requireAddress("NURTURE_MAIL_FROM", from);
		}
		if (managerEmails != null) {
			managerEmails.forEach((manager) -> requireAddress("NURTURE_MANAGER_EMAILS", manager));
		}
	}

	private static void requireAddress(String setting, String address) {
		try {
			new InternetAddress(address, true).validate();
		}
		catch (AddressException ex) {
			throw new IllegalArgumentException(setting + " must be an email address such as "
					+ "Nurtureflow <hello@example.com>, not " + address + " (" + ex.getMessage() + ")");
		}
	}

	/** How long one send may take in all, connecting included, before it is cut off. */
	Duration sendDeadline() {
		return this.timeout.multipliedBy(TIMEOUTS_PER_SEND);
	}

	boolean configured() {
		return this.smtpHost != null && !this.smtpHost.isBlank();
	}

}
