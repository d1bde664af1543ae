package io.nurtureflow.channel.email;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection per sending thread, kept open for the next message. Connecting costs the
 * TCP and (with STARTTLS) TLS handshakes and the greeting, EHLO and login round trips on both
 * sides, more than sending a message; the job executor's threads send one message after the
 * other. A connection is given up after {@code messagesPerConnection} messages, after any
 * failure, and when it idled long enough that the server may have dropped it and it does not
 * answer a NOOP. A failed send is never repeated here: the step's retries decide that.
 */
final class SmtpConnections implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SmtpConnections.class);

	/** Used within this long, a connection is trusted without a NOOP; servers wait minutes. */
	static final Duration TRUSTED_IDLE = Duration.ofSeconds(10);

	private final Session session;

	private final EmailProperties properties;

	private final ThreadLocal<Connection> mine = new ThreadLocal<>();

	private final Set<Connection> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong opened = new AtomicLong();

	SmtpConnections(Session session, EmailProperties properties) {
		this.session = session;
		this.properties = properties;
	}

	/** Sends the message to its recipients over this thread's connection, opening one if needed. */
	void send(MimeMessage message) throws MessagingException {
		Connection connection = usable(this.mine.get());
		if (connection == null) {
			connection = connect();
		}
		try {
			connection.transport().sendMessage(message, message.getAllRecipients());
		}
		catch (MessagingException | RuntimeException ex) {
			discard(connection);
			throw ex;
		}
		connection.sent(System.nanoTime());
		if (connection.messages() >= this.properties.messagesPerConnection()) {
			discard(connection);
		}
	}

	/** How many connections are open now. */
	int openConnections() {
		return this.open.size();
	}

	/** How many connections were opened so far. */
	long connectionsOpened() {
		return this.opened.get();
	}

	@Override
	public void close() {
		this.open.forEach(this::quit);
		this.open.clear();
	}

	private Connection usable(Connection connection) {
		if (connection == null) {
			return null;
		}
		// real time, not the engine's clock: it is the server that may have given up on us
		boolean recent = System.nanoTime() - connection.lastUsed() < TRUSTED_IDLE.toNanos();
		if (recent || connection.transport().isConnected()) {
			return connection;
		}
		discard(connection);
		return null;
	}

	private Connection connect() throws MessagingException {
		Transport transport = this.session.getTransport("smtp");
		transport.connect(this.properties.smtpHost(), this.properties.smtpPort(), blankToNull(this.properties.smtpUser()),
				blankToNull(this.properties.smtpPassword()));
		this.opened.incrementAndGet();
		Connection connection = new Connection(transport, System.nanoTime());
		this.mine.set(connection);
		this.open.add(connection);
		return connection;
	}

	private void discard(Connection connection) {
		this.mine.remove();
		this.open.remove(connection);
		quit(connection);
	}

	private void quit(Connection connection) {
		try {
			connection.transport().close();
		}
		catch (MessagingException | RuntimeException ex) {
			log.debug("Closing an SMTP connection failed; it is dropped anyway", ex);
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	/** A connection and how it was used; only its own thread touches it. */
	private static final class Connection {

		private final Transport transport;

		private long lastUsed;

		private int messages;

		Connection(Transport transport, long opened) {
			this.transport = transport;
			this.lastUsed = opened;
		}

		Transport transport() {
			return this.transport;
		}

		long lastUsed() {
			return this.lastUsed;
		}

		int messages() {
			return this.messages;
		}

		void sent(long at) {
			this.lastUsed = at;
			this.messages++;
		}

	}

}
