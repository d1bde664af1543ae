package io.nurtureflow.channel.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nurtureflow.support.LiveChannels;

/**
 * An SMTP server that holds each connection it takes, in the way its {@link Behaviour} says:
 * without ever completing a send, or {@link #slowToConfirm() completing each only when the test
 * lets it}. It counts the connections it took and those the client gave up
 * (closed), which tells whether a try was over at a given moment without timing anything.
 * Closing it closes every connection it took, which ends the tries still waiting.
 */
public final class FaultySmtpServer implements AutoCloseable {

	private final ServerSocket server;

	private final Behaviour behaviour;

	private final Set<Socket> taken = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger givenUp = new AtomicInteger();

	private FaultySmtpServer(ServerSocket server, Behaviour behaviour) {
		this.server = server;
		this.behaviour = behaviour;
		Thread accepting = new Thread(this::accept, "faulty-smtp");
		accepting.setDaemon(true);
		accepting.start();
	}

	/** On a free port. */
	public static FaultySmtpServer onFreePort(Behaviour behaviour) {
		return on(0, behaviour);
	}

	/** GreenMail stopped, and this server on its port until closed. */
	static FaultySmtpServer inPlaceOfGreenMail(Behaviour behaviour) {
		int port = LiveChannels.smtp().getSmtp().getPort();
		LiveChannels.stopSmtp();
		return on(port, behaviour);
	}

	private static FaultySmtpServer on(int port, Behaviour behaviour) {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
			return new FaultySmtpServer(server, behaviour);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Never greets, so each try lasts until the client's read timeout; whatever the client sends
	 * is ignored.
	 */
	static Behaviour silent() {
		return (socket) -> {
			InputStream in = socket.getInputStream();
			while (in.read() != -1) {
				// the client says nothing before the greeting
			}
		};
	}

	/**
	 * Never finishes its greeting: sends one line of a multi-line 220 reply after the other, a
	 * byte every {@code perByte}, well within the client's read timeout. No read times out, so
	 * only a deadline on the whole send ends a try.
	 */
	static Behaviour trickling(Duration perByte) {
		byte[] line = "220-still greeting you\r\n".getBytes(StandardCharsets.US_ASCII);
		return (socket) -> {
			OutputStream out = socket.getOutputStream();
			while (true) {
				for (byte b : line) {
					out.write(b);
					out.flush();
					Thread.sleep(perByte.toMillis());
				}
			}
		};
	}

	/**
	 * Takes every message, but answers the end of its data only once the test {@link
	 * SlowToConfirm#confirm() confirms} it: a send is under way, the message already taken (as a
	 * real server may have taken it), until then.
	 */
	public static SlowToConfirm slowToConfirm() {
		return new SlowToConfirm();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** How many connections it took so far. */
	int connections() {
		return this.connections.get();
	}

	/** How many connections the client closed so far. */
	int connectionsGivenUp() {
		return this.givenUp.get();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.taken) {
			socket.close();
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.taken.add(socket);
				this.connections.incrementAndGet();
				Thread serving = new Thread(() -> serve(socket), "faulty-smtp-connection");
				serving.setDaemon(true);
				serving.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			this.behaviour.serve(socket);
		}
		catch (IOException ex) {
			// closed by close(), or closed or reset by the client: told apart below
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		if (!this.server.isClosed()) {
			this.givenUp.incrementAndGet();
		}
	}

	/** An SMTP server that holds its answer to each message's data until the test confirms. */
	public static final class SlowToConfirm implements Behaviour {

		private final List<String> taken = new CopyOnWriteArrayList<>();

		private final CountDownLatch holding = new CountDownLatch(1);

		private final CountDownLatch confirmed = new CountDownLatch(1);

		private final AtomicInteger cutOff = new AtomicInteger();

		@Override
		public void serve(Socket socket) throws IOException, InterruptedException {
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
			answer(out, "220 slow.test ESMTP");
			String recipient = null;
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				String command = line.toUpperCase(Locale.ROOT);
				if (command.startsWith("RCPT TO:")) {
					recipient = line.substring("RCPT TO:".length()).trim().replaceAll("[<>]", "");
					answer(out, "250 ok");
				}
				else if (command.equals("DATA")) {
					answer(out, "354 go on");
					for (String data = in.readLine(); !".".equals(data); data = in.readLine()) {
						if (data == null) {
							return;
						}
					}
					this.taken.add(recipient);
					this.holding.countDown();
					if (!awaitConfirmation(socket)) {
						this.cutOff.incrementAndGet();
						return;
					}
					answer(out, "250 taken");
				}
				else if (command.equals("QUIT")) {
					answer(out, "221 bye");
					return;
				}
				else {
					answer(out, "250 ok");
				}
			}
		}

		/** Until the test confirms (true) or the client closes the connection (false). */
		private boolean awaitConfirmation(Socket socket) throws IOException, InterruptedException {
			// the client says nothing until it has the answer: a read ends only when it closes
			socket.setSoTimeout(50);
			try {
				while (!this.confirmed.await(0, TimeUnit.MILLISECONDS)) {
					try {
						if (socket.getInputStream().read() == -1) {
							return false;
						}
					}
					catch (SocketTimeoutException ex) {
						// still connected
					}
				}
				return true;
			}
			catch (SocketException ex) {
				return false;
			}
			finally {
				socket.setSoTimeout(0);
			}
		}

		/** Until a message is held, its answer waiting for {@link #confirm()}. */
		public void awaitHolding(Duration within) throws InterruptedException {
			if (!this.holding.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("No message was sent within " + within);
			}
		}

		/** Answers the messages held, and every one after them at once. */
		public void confirm() {
			this.confirmed.countDown();
		}

		/** The recipient of every message taken, in order, confirmed or not. */
		public List<String> taken() {
			return List.copyOf(this.taken);
		}

		/** How many messages the client gave up waiting for the answer to (closed the connection). */
		public int cutOff() {
			return this.cutOff.get();
		}

		private static void answer(Writer out, String line) throws IOException {
			out.write(line + "\r\n");
			out.flush();
		}

	}

	/** What the server does with a connection it took; it returns or throws once the client gives up. */
	@FunctionalInterface
	public interface Behaviour {

		void serve(Socket socket) throws IOException, InterruptedException;

	}

}
