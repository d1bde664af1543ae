package io.nurtureflow.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.nurtureflow.support.LiveChannels;

/**
 * An SMTP server that hangs: it takes connections on GreenMail's port and never greets, so each
 * try to send lasts until the client's timeout. It counts the connections the client gave up
 * (closed), which tells whether a try was over at a given moment without timing anything.
 * Closing it closes every connection it took, which ends the tries still waiting.
 */
final class SilentSmtpServer implements AutoCloseable {

	private final ServerSocket server;

	private final Set<Socket> taken = ConcurrentHashMap.newKeySet();

	private final AtomicInteger givenUp = new AtomicInteger();

	private SilentSmtpServer(ServerSocket server) {
		this.server = server;
		Thread accepting = new Thread(this::accept, "silent-smtp");
		accepting.setDaemon(true);
		accepting.start();
	}

	/** GreenMail stopped, and this server on its port until closed. */
	static SilentSmtpServer inPlaceOfGreenMail() {
		int port = LiveChannels.smtp().getSmtp().getPort();
		LiveChannels.stopSmtp();
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
			return new SilentSmtpServer(server);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
				Thread reading = new Thread(() -> readUntilClosed(socket), "silent-smtp-connection");
				reading.setDaemon(true);
				reading.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void readUntilClosed(Socket socket) {
		try (InputStream in = socket.getInputStream()) {
			while (in.read() != -1) {
				// the client says nothing before the greeting; whatever it sends is ignored
			}
			this.givenUp.incrementAndGet();
		}
		catch (IOException ex) {
			// closed by close(), or reset by the client: a reset is giving up too
			if (!this.server.isClosed()) {
				this.givenUp.incrementAndGet();
			}
		}
	}

}
