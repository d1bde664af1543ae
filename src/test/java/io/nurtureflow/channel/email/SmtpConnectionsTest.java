package io.nurtureflow.channel.email;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nurtureflow.channel.email.FaultySmtpServer.SlowToConfirm;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sending over kept SMTP connections, against a real SMTP server (GreenMail). */
class SmtpConnectionsTest {

	private GreenMail smtp;

	private Session session;

	@BeforeEach
	void startSmtp() {
		this.smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.smtp.start();
		Properties mail = new Properties();
		mail.put("mail.smtp.connectiontimeout", "5000");
		mail.put("mail.smtp.timeout", "5000");
		this.session = Session.getInstance(mail);
	}

	@AfterEach
	void stopSmtp() {
		this.smtp.stop();
	}

	@Test
	void oneThreadSendsItsMessagesOverOneConnection() throws Exception {
		try (SmtpConnections connections = connections(100)) {
			send(connections, "lead", 5);

			assertThat(this.smtp.getReceivedMessages()).hasSize(5);
			assertThat(connections.connectionsOpened()).isOne();
			assertThat(connections.openConnections()).isOne();
		}
	}

	@Test
	void aConnectionIsClosedAfterItsShareOfMessages() throws Exception {
		try (SmtpConnections connections = connections(2)) {
			send(connections, "lead", 5);

			assertThat(this.smtp.getReceivedMessages()).hasSize(5);
			assertThat(connections.connectionsOpened()).isEqualTo(3);
		}
	}

	@Test
	void threadsDoNotShareAConnection() throws Exception {
		try (SmtpConnections connections = connections(100)) {
			List<Thread> senders = List.of(sender(connections, "a"), sender(connections, "b"), sender(connections, "c"));
			for (Thread sender : senders) {
				sender.start();
			}
			for (Thread sender : senders) {
				sender.join(30_000);
			}

			assertThat(this.smtp.getReceivedMessages()).hasSize(9);
			assertThat(connections.connectionsOpened()).isEqualTo(3);
		}
	}

	@Test
	void aFailedSendDropsTheConnectionAndTheNextSendConnectsAfresh() throws Exception {
		try (SmtpConnections connections = connections(100)) {
			connections.send(message("before@example.com"));
			int port = this.smtp.getSmtp().getPort();
			this.smtp.stop();

			assertThatThrownBy(() -> connections.send(message("during@example.com")))
				.isInstanceOf(MessagingException.class);
			assertThat(connections.openConnections()).isZero();

			this.smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
			this.smtp.start();
			connections.send(message("after@example.com"));
			assertThat(this.smtp.getReceivedMessages()).extracting((m) -> m.getAllRecipients()[0].toString())
				.containsExactly("after@example.com");
			assertThat(connections.connectionsOpened()).isEqualTo(2);
		}
	}

	/**
	 * A server that answers a byte at a time, each well within the read timeout, times out no
	 * read: the send is cut off at its deadline, so no second node sends the message while this
	 * one still does. (Without the deadline it never ends: the test gives up after a minute.)
	 */
	@Test
	@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
	void aServerTricklingItsAnswersIsCutOffAtTheSendDeadline() throws Exception {
		try (FaultySmtpServer trickling = FaultySmtpServer.onFreePort(FaultySmtpServer.trickling(Duration.ofMillis(200)));
				SmtpConnections connections = connections(trickling.port(), Duration.ofSeconds(1), 100)) {
			assertThatThrownBy(() -> connections.send(message("lead@example.com")))
				.isInstanceOf(MessagingException.class)
				.hasMessageContaining("took longer than PT6S (6 times NURTURE_SMTP_TIMEOUT) for one message; cut off");
			assertThat(connections.openConnections()).isZero();
			assertThat(trickling.connections()).isOne();
		}
	}

	/**
	 * Closing the connections (the node stopping) while a thread sends over one of them waits for
	 * that send: the transport lets one caller at a time in, so the message the server is taking
	 * is not cut off, and the connection is closed once its answer came.
	 */
	@Test
	@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
	void closingWaitsForTheSendUnderWay() throws Exception {
		SlowToConfirm slow = FaultySmtpServer.slowToConfirm();
		try (FaultySmtpServer server = FaultySmtpServer.onFreePort(slow)) {
			SmtpConnections connections = connections(server.port(), Duration.ofSeconds(30), 100);
			AtomicReference<Exception> failure = new AtomicReference<>();
			Thread sending = new Thread(() -> {
				try {
					connections.send(message("lead@example.com"));
				}
				catch (MessagingException | RuntimeException ex) {
					failure.set(ex);
				}
			}, "sending");
			sending.start();
			slow.awaitHolding(Duration.ofSeconds(20));

			Thread closing = new Thread(connections::close, "closing");
			closing.start();
			while (closing.getState() == Thread.State.NEW || closing.getState() == Thread.State.RUNNABLE) {
				Thread.sleep(10);
			}
			slow.confirm();
			sending.join();
			closing.join();

			assertThat(failure.get()).as("the send under way").isNull();
			assertThat(slow.taken()).containsExactly("lead@example.com");
			assertThat(slow.cutOff()).isZero();
			assertThat(connections.openConnections()).isZero();
		}
	}

	private SmtpConnections connections(int messagesPerConnection) {
		return connections(this.smtp.getSmtp().getPort(), Duration.ofSeconds(5), messagesPerConnection);
	}

	private SmtpConnections connections(int port, Duration timeout, int messagesPerConnection) {
		EmailProperties properties = new EmailProperties("127.0.0.1", port, null, null, false,
				"Nurtureflow <hello@localhost>", timeout, List.of(), messagesPerConnection);
		return new SmtpConnections(this.session, properties);
	}

	private Thread sender(SmtpConnections connections, String name) {
		return new Thread(() -> {
			try {
				send(connections, name, 3);
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	/** Sends {@code count} messages, to {@code <prefix>-0@example.com} and on. */
	private void send(SmtpConnections connections, String prefix, int count) throws MessagingException {
		for (int i = 0; i < count; i++) {
			connections.send(message(prefix + "-" + i + "@example.com"));
		}
	}

	private MimeMessage message(String to) throws MessagingException {
		MimeMessage message = new MimeMessage(this.session);
		message.setFrom(new InternetAddress("hello@localhost"));
		message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
		message.setSubject("Hello");
		message.setText("Hello");
		message.saveChanges();
		return message;
	}

}
