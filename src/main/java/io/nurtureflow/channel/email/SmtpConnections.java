package io.nurtureflow.channel.email;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.SocketFactory;

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
 * <p>
 * A send, with the connecting or the NOOP before it, is cut off after
 * {@link EmailProperties#sendDeadline()}: the timeouts of {@code NURTURE_SMTP_TIMEOUT} hold
 * each read and write alone, so a server trickling its answers a byte at a time, just under the
 * timeout, would hold a send for ever, and a second node would send what the first still sends
 * once its claim (a touch's job lock, a resubscribe email's row) runs out. The connection's
 * socket is closed, which fails the read or write under way.
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

	/** The deadline of the send under way on each thread, which the sockets it opens are handed to. */
	private final ThreadLocal<Deadline> sending = new ThreadLocal<>();

	private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, (task) -> {
		Thread thread = new Thread(task, "smtp-send-deadline");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Sets the session's socket factory to one that hands each socket to the send opening it; and
	 * without falling back to a socket of its own, which would escape the deadline.
	 */
	SmtpConnections(Session session, EmailProperties properties) {
		this.session = session;
		this.properties = properties;
		this.session.getProperties().put("mail.smtp.socketFactory", new DeadlineSockets());
		this.session.getProperties().put("mail.smtp.socketFactory.fallback", "false");
		this.deadlines.setRemoveOnCancelPolicy(true);
	}

	/** Sends the message to its recipients over this thread's connection, opening one if needed. */
	void send(MimeMessage message) throws MessagingException {
		Deadline deadline = new Deadline();
		this.sending.set(deadline);
		deadline.start();
		Connection connection = this.mine.get();
		try {
			if (connection != null) {
				deadline.watch(connection.socket());
			}
			connection = usable(connection);
			if (connection == null) {
				connection = connect(deadline);
			}
			connection.transport().sendMessage(message, message.getAllRecipients());
		}
		catch (MessagingException | RuntimeException ex) {
			if (connection != null) {
				discard(connection);
			}
			if (deadline.passed()) {
				throw new MessagingException("The SMTP server took longer than " + this.properties.sendDeadline()
						+ " (" + EmailProperties.TIMEOUTS_PER_SEND + " times NURTURE_SMTP_TIMEOUT) for one message; "
						+ "cut off", ex);
			}
			throw ex;
		}
		finally {
			this.sending.remove();
			deadline.end();
		}
		connection.sent(System.nanoTime());
		// cut off just as it was done: the message left, the connection is closed
		if (deadline.passed() || connection.messages() >= this.properties.messagesPerConnection()) {
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
		this.deadlines.shutdownNow();
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

	private Connection connect(Deadline deadline) throws MessagingException {
		Transport transport = this.session.getTransport("smtp");
		transport.connect(this.properties.smtpHost(), this.properties.smtpPort(), blankToNull(this.properties.smtpUser()),
				blankToNull(this.properties.smtpPassword()));
		this.opened.incrementAndGet();
		Connection connection = new Connection(transport, deadline.lastSocket(), System.nanoTime());
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

	/**
	 * The deadline of one send: once it passed, the sockets handed to it are closed, and any it is
	 * handed later at once.
	 */
	private final class Deadline implements Runnable {

		private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

		private volatile boolean passed;

		private volatile Socket last;

		private ScheduledFuture<?> timer;

		void start() {
			this.timer = SmtpConnections.this.deadlines.schedule(this,
					SmtpConnections.this.properties.sendDeadline().toMillis(), TimeUnit.MILLISECONDS);
		}

		void watch(Socket socket) {
			this.last = socket;
			this.sockets.add(socket);
			if (this.passed) {
				closeQuietly(socket);
			}
		}

		Socket lastSocket() {
			return this.last;
		}

		boolean passed() {
			return this.passed;
		}

		void end() {
			this.timer.cancel(false);
		}

		@Override
		public void run() {
			this.passed = true;
			this.sockets.forEach(SmtpConnections::closeQuietly);
		}

	}

	/** Plain sockets, each handed to the deadline of the send on the thread that opens it. */
	private final class DeadlineSockets extends SocketFactory {

		@Override
		public Socket createSocket() {
			return watched(new Socket());
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			return watched(new Socket(host, port));
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			return watched(new Socket(host, port, localHost, localPort));
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			return watched(new Socket(host, port));
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			return watched(new Socket(address, port, localAddress, localPort));
		}

		private Socket watched(Socket socket) {
			Deadline deadline = SmtpConnections.this.sending.get();
			if (deadline != null) {
				deadline.watch(socket);
			}
			return socket;
		}

	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			log.debug("Closing an SMTP socket past its deadline failed", ex);
		}
	}

	/** A connection, the socket under it, and how it was used; only its own thread touches it. */
	private static final class Connection {

		private final Transport transport;

		private final Socket socket;

		private long lastUsed;

		private int messages;

		Connection(Transport transport, Socket socket, long opened) {
			this.transport = transport;
			this.socket = socket;
			this.lastUsed = opened;
		}

		Transport transport() {
			return this.transport;
		}

		Socket socket() {
			return this.socket;
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
