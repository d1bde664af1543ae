package io.nurtureflow.channel.email;

import java.io.IOException;
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
 * An SMTP server that never finishes its greeting: it sends one line of a multi-line 220 reply
 * after the other, a byte at a time, each byte well within the client's read timeout. No read
 * times out, so only a deadline on the whole send ends a try. It counts the connections it took
 * and those the client closed; closing it closes every connection it took.
 */
final class TricklingSmtpServer implements AutoCloseable {

	private static final byte[] LINE = "220-still greeting you\r\n".getBytes(StandardCharsets.US_ASCII);

	private final ServerSocket server;

	private final Duration perByte;

	private final Set<Socket> taken = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger givenUp = new AtomicInteger();

	private TricklingSmtpServer(ServerSocket server, Duration perByte) {
		this.server = server;
		this.perByte = perByte;
		Thread accepting = new Thread(this::accept, "trickling-smtp");
		accepting.setDaemon(true);
		accepting.start();
	}

	/** On a free port, a byte every {@code perByte}. */
	static TricklingSmtpServer onFreePort(Duration perByte) {
		return on(0, perByte);
	}

	/** GreenMail stopped, and this server on its port until closed. */
	static TricklingSmtpServer inPlaceOfGreenMail(Duration perByte) {
		int port = LiveChannels.smtp().getSmtp().getPort();
		LiveChannels.stopSmtp();
		return on(port, perByte);
	}

	private static TricklingSmtpServer on(int port, Duration perByte) {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
			return new TricklingSmtpServer(server, perByte);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
				Thread trickling = new Thread(() -> trickle(socket), "trickling-smtp-connection");
				trickling.setDaemon(true);
				trickling.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/** Writes until the client closes the connection (a write fails then) or the server is closed. */
	private void trickle(Socket socket) {
		try (OutputStream out = socket.getOutputStream()) {
			while (true) {
				for (byte b : LINE) {
					out.write(b);
					out.flush();
					Thread.sleep(this.perByte.toMillis());
				}
			}
		}
		catch (IOException ex) {
			if (!this.server.isClosed()) {
				this.givenUp.incrementAndGet();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
