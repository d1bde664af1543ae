package io.nurtureflow.channel.email;

import java.time.Duration;
import java.util.Date;
import java.util.Properties;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.ComposedMessage;
import io.nurtureflow.touch.PermanentSendFailure;
import io.nurtureflow.touch.TouchChannel;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Email over SMTP when {@code NURTURE_SMTP_HOST} is set, else record-only. A recipient the
 * server refuses outright fails the touch for good; anything else (connection refused, timeout,
 * a temporary 4xx) is thrown for the step's retries.
 */
@Component
class EmailChannel implements TouchChannel, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);

	private final EmailComposer composer;

	private final EmailProperties properties;

	private final JavaMailSenderImpl smtp;

	private final SmtpConnections connections;

	EmailChannel(EmailComposer composer, EmailProperties properties) {
		this.composer = composer;
		this.properties = properties;
		this.smtp = properties.configured() ? smtp(properties) : null;
		this.connections = (this.smtp != null) ? new SmtpConnections(this.smtp.getSession(), properties) : null;
		if (this.smtp != null) {
			log.info("Email is sent by SMTP through {}:{}{}", properties.smtpHost(), properties.smtpPort(),
					properties.starttls() ? " with STARTTLS" : "");
		}
		else {
			log.info("Email is recorded, not sent: NURTURE_SMTP_HOST is not set");
		}
	}

	@Override
	public void destroy() {
		if (this.connections != null) {
			this.connections.close();
		}
	}

	@Override
	public Channel channel() {
		return Channel.EMAIL;
	}

	@Override
	public boolean live() {
		return this.smtp != null;
	}

	/** The longest one {@link #transmit} takes, however slowly the server answers. */
	Duration sendDeadline() {
		return this.properties.sendDeadline();
	}

	@Override
	public ComposedMessage compose(long touchId, Lead lead, String content) {
		return this.composer.compose(touchId, lead, content);
	}

	@Override
	public String transmit(ComposedMessage message) {
		MimeMessage mime = this.smtp.createMimeMessage();
		try {
			MimeMessageHelper helper = new MimeMessageHelper(mime, message.html() != null, "UTF-8");
			helper.setFrom(this.properties.from());
			helper.setTo(message.recipient());
			helper.setSubject(message.subject());
			if (message.html() != null) {
				helper.setText(message.text(), message.html());
			}
			else {
				helper.setText(message.text());
			}
			for (var header : message.headers().entrySet()) {
				mime.setHeader(header.getKey(), header.getValue());
			}
			mime.setSentDate(new Date());
			mime.saveChanges();
		}
		catch (MessagingException ex) {
			throw new PermanentSendFailure("The message cannot be built: " + ex.getMessage(), ex);
		}
		try {
			String id = mime.getMessageID();
			this.connections.send(mime);
			return id;
		}
		catch (MessagingException ex) {
			if (refusedRecipient(ex)) {
				throw new PermanentSendFailure("The mail server refused " + message.recipient(), ex);
			}
			throw new MailSendException("Sending to " + message.recipient() + " failed", ex);
		}
	}

	/** A 5xx answer to RCPT TO: the address does not exist or will never accept mail from us. */
	private static boolean refusedRecipient(MessagingException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SendFailedException refused && refused.getInvalidAddresses() != null
					&& refused.getInvalidAddresses().length > 0 && !cause.getMessage().startsWith("4")) {
				return true;
			}
		}
		return false;
	}

	private static JavaMailSenderImpl smtp(EmailProperties properties) {
		JavaMailSenderImpl smtp = new JavaMailSenderImpl();
		smtp.setHost(properties.smtpHost());
		smtp.setPort(properties.smtpPort());
		smtp.setDefaultEncoding("UTF-8");
		Properties mail = smtp.getJavaMailProperties();
		String timeout = String.valueOf(properties.timeout().toMillis());
		mail.put("mail.smtp.connectiontimeout", timeout);
		mail.put("mail.smtp.timeout", timeout);
		mail.put("mail.smtp.writetimeout", timeout);
		if (properties.smtpUser() != null && !properties.smtpUser().isBlank()) {
			smtp.setUsername(properties.smtpUser());
			smtp.setPassword(properties.smtpPassword());
			mail.put("mail.smtp.auth", "true");
		}
		if (properties.starttls()) {
			mail.put("mail.smtp.starttls.enable", "true");
			mail.put("mail.smtp.starttls.required", "true");
		}
		return smtp;
	}

}
