package io.nurtureflow.channel.email;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * SMTP. Without a host, email runs in record-only mode.
 *
 * @param starttls whether to upgrade the connection with STARTTLS (and require it)
 * @param managerEmails who gets internal notices such as a missed call SLA
 * @param messagesPerConnection how many messages one SMTP connection carries before it is closed
 */
@Validated
@ConfigurationProperties("nurture.email")
record EmailProperties(String smtpHost, @DefaultValue("587") int smtpPort, String smtpUser, String smtpPassword,
		@DefaultValue("false") boolean starttls, @NotBlank @DefaultValue("Nurtureflow <hello@localhost>") String from,
		@DefaultValue("10s") Duration timeout, @DefaultValue List<String> managerEmails,
		@Min(1) @DefaultValue("100") int messagesPerConnection) {

	boolean configured() {
		return this.smtpHost != null && !this.smtpHost.isBlank();
	}

}
