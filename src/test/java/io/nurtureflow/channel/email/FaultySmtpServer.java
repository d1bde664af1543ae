package io.nurtureflow.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.nurtureflow.support.LiveChannels;

/**
 * An SMTP server that holds each connection it takes without ever completing a send, in the way
 * its {@link Behaviour} says. It counts the connections it took and those the client gave up
 * (closed), which tells whether a try was over at a given moment without timing anything.
 * Closing it closes every connection it took, which ends the tries still waiting.
 */
final class FaultySmtpServer implements AutoCloseable {

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
	static FaultySmtpServer onFreePort(Behaviour behaviour) {
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

	int port() {
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

	/** What the server does with a connection it took; it returns or throws once the client gives up. */
	@FunctionalInterface
	interface Behaviour {

		void serve(Socket socket) throws IOException, InterruptedException;

	}

}
