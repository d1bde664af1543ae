package io.nurtureflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * A PostgreSQL server of the test's own that it can stop and start again, the way an operator
 * restarts the database under a running server: the same data directory, the same port, so
 * the connection pool finds it where it was. Not the shared {@link EmbeddedPostgres}, which
 * other test classes rely on staying up.
 */
public class RestartablePostgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static Path data;

	private static int port;

	private static EmbeddedPostgres server;

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (data == null) {
			prepare();
		}
		TestPropertyValues
			.of("spring.datasource.url=jdbc:postgresql://localhost:" + port + "/postgres",
					"spring.datasource.username=postgres", "spring.datasource.password=postgres")
			.applyTo(context);
	}

	private static synchronized void prepare() {
		try {
			data = Files.createTempDirectory("nurtureflow-restartable-postgres");
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stop();
			FileSystemUtils.deleteRecursively(data.toFile());
		}));
	}

	/** The database goes down: the server stops (fast shutdown), every open connection breaks. */
	public static synchronized void stop() {
		if (server == null) {
			return;
		}
		try {
			server.close();
			server = null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static synchronized boolean running() {
		return server != null;
	}

	/** The database is back, with everything it had committed. */
	public static synchronized void start() {
		try {
			server = EmbeddedPostgres.builder()
				.setDataDirectory(data)
				.setCleanDataDirectory(false)
				.setPort(port)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start PostgreSQL on port " + port, ex);
		}
	}

}
