package io.nurtureflow.channel.email;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A notice to managers goes out at most once per key, however often the job that sends it runs:
 * it runs at least once (retries, a second node, a restart after a crash). Found by
 * {@code NodeCrashTest}: a node killed between sending a notice and committing its job sent it
 * again after the restart.
 */
@LiveChannelsTest
class ManagerNotificationsTest {

	@Autowired
	EmailChannel email;

	@Autowired
	EmailProperties properties;

	@Autowired
	NoticeLedger ledger;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	Clock clock;

	String sales;

	String marketing;

	ManagerNotifications notifications;

	@BeforeEach
	void twoManagers() {
		String team = UUID.randomUUID().toString().substring(0, 8);
		this.sales = "sales-" + team + "@managers.test";
		this.marketing = "marketing-" + team + "@managers.test";
		EmailProperties withManagers = new EmailProperties(this.properties.smtpHost(), this.properties.smtpPort(),
				null, null, false, this.properties.from(), this.properties.timeout(), List.of(this.sales, this.marketing),
				this.properties.messagesPerConnection());
		this.notifications = new ManagerNotifications(this.email, withManagers, this.ledger, this.transactions,
				this.clock);
	}

	@AfterEach
	void smtpIsBack() {
		LiveChannels.smtpBack();
	}

	@Test
	void aNoticeReachesEachManagerOnceHoweverOftenItsJobRuns() {
		this.notifications.notify("journey-1:Task_NotifyManagers:1", "Call SLA missed: Ada", "Call her.");
		this.notifications.notify("journey-1:Task_NotifyManagers:1", "Call SLA missed: Ada", "Call her.");

		assertThat(received(this.sales)).containsExactly("Call SLA missed: Ada");
		assertThat(received(this.marketing)).containsExactly("Call SLA missed: Ada");
	}

	@Test
	void aNoticeANodeStoppedSendingIsNotSentAgain() {
		String key = "journey-2:Task_NotifyManagers:1";
		// the dead node had claimed the email to sales and handed it over, but never recorded it
		this.ledger.claim(key + ":" + this.sales, this.clock.instant());

		this.notifications.notify(key, "Call SLA missed: Grace", "Call her.");

		assertThat(received(this.sales)).isEmpty();
		assertThat(received(this.marketing)).containsExactly("Call SLA missed: Grace");
		assertThat(this.ledger.status(key + ":" + this.sales)).contains("SENDING");
		assertThat(this.ledger.status(key + ":" + this.marketing)).contains("SENT");
	}

	@Test
	void aNoticeTheMailServerDidNotTakeGoesOutOnTheRetry() {
		String key = "journey-3:Task_NotifyManagers:1";
		LiveChannels.stopSmtp();

		assertThatThrownBy(() -> this.notifications.notify(key, "Call SLA missed: Linus", "Call him."))
			.isInstanceOf(RuntimeException.class);
		LiveChannels.startSmtp();
		this.notifications.notify(key, "Call SLA missed: Linus", "Call him.");

		assertThat(received(this.sales)).containsExactly("Call SLA missed: Linus");
		assertThat(received(this.marketing)).containsExactly("Call SLA missed: Linus");
	}

	@Test
	void aNewNoticeForTheSameJourneyIsSent() {
		this.notifications.notify("journey-4:Task_NotifyManagers:1", "Call SLA missed: Alan", "Call him.");
		this.notifications.notify("journey-4:Task_NotifyManagers:2", "Call SLA missed: Alan", "Call him again.");

		assertThat(received(this.sales)).hasSize(2);
	}

	/** Subjects of the emails a manager got. */
	private static List<String> received(String manager) {
		try {
			List<String> subjects = new ArrayList<>();
			for (MimeMessage message : LiveChannels.smtp().getReceivedMessages()) {
				for (Address recipient : message.getAllRecipients()) {
					if (recipient.toString().equals(manager)) {
						subjects.add(message.getSubject());
					}
				}
			}
			return subjects;
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
