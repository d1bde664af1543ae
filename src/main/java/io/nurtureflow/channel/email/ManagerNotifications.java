package io.nurtureflow.channel.email;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Internal notices to managers (a missed call SLA): an email to {@code NURTURE_MANAGER_EMAILS}
 * when SMTP is configured, a log line always.
 */
@Service
public class ManagerNotifications {

	private static final Logger log = LoggerFactory.getLogger(ManagerNotifications.class);

	private final EmailChannel email;

	private final List<String> managers;

	ManagerNotifications(EmailChannel email, EmailProperties properties) {
		this.email = email;
		this.managers = properties.managerEmails();
	}

	public void notify(String subject, String text) {
		log.warn("Manager notice: {}", subject);
		if (!this.email.live() || this.managers.isEmpty()) {
			return;
		}
		for (String manager : this.managers) {
			this.email.transmit(new io.nurtureflow.touch.ComposedMessage(manager, subject, text, null, java.util.Map.of()));
		}
	}

}
