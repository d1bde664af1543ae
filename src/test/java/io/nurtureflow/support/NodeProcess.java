package io.nurtureflow.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.nurtureflow.NurtureflowApplication;

/**
 * One Nurtureflow node as what it is in production: a JVM of its own, started with
 * {@code java -cp <runtime class path> io.nurtureflow.NurtureflowApplication} and configured only
 * through environment variables (and system properties for the few settings that have none).
 * Being a process of its own, it can be killed with SIGKILL mid-work, which no in-JVM
 * application context can imitate. Its output goes to a log file for diagnosis.
 */
public final class NodeProcess implements AutoCloseable {

	/** SIGKILL as {@link Process#exitValue()} reports it on Linux: 128 + signal 9. */
	public static final int KILLED_EXIT_CODE = 137;

	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		// a test JVM that ends abruptly must not leave nodes behind on the shared machine
		Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
	}

	private final String name;

	private final int port;

	private final Path log;

	private final Process process;

	private NodeProcess(String name, int port, Path log, Process process) {
		this.name = name;
		this.port = port;
		this.log = log;
		this.process = process;
	}

	/**
	 * Starts a node; it is not ready until {@link #awaitReady(Duration)} says so.
	 *
	 * @param environment the node's environment variables, {@code PORT} among them
	 * @param systemProperties {@code name=value} pairs given as {@code -D} options
	 */
	public static NodeProcess start(String name, Map<String, String> environment, List<String> systemProperties,
			Path log) {
		List<String> command = new ArrayList<>();
		command.add(javaExecutable());
		// a small heap, as several nodes share this machine with the test JVM and PostgreSQL
		command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
		systemProperties.forEach((property) -> command.add("-D" + property));
		command.addAll(List.of("-cp", classPath(), NurtureflowApplication.class.getName()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
		builder.environment().keySet().removeIf((variable) -> variable.startsWith("NURTURE_")
				|| variable.startsWith("TWILIO_") || variable.startsWith("SPRING_") || variable.equals("PORT"));
		builder.environment().putAll(environment);
		try {
			Files.createDirectories(log.getParent());
			Process process = builder.start();
			RUNNING.add(process);
			return new NodeProcess(name, Integer.parseInt(environment.get("PORT")), log, process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start node " + name, ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** CPU time the node's JVM has used so far, while it runs. */
	public Duration cpuTime() {
		return this.process.info().totalCpuDuration().orElse(Duration.ZERO);
	}

	/** Waits until the node's readiness probe answers 200; fails early, with its log, if it died. */
	public void awaitReady(Duration timeout) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest probe = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(5))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Node " + this.name + " ended with exit code "
						+ this.process.exitValue() + " before it was ready:\n" + logTail());
			}
			try {
				if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			pause();
		}
		throw new IllegalStateException("Node " + this.name + " not ready within " + timeout + ":\n" + logTail());
	}

	/**
	 * {@code kill -9}: the JVM gets no chance to finish a request, a job or a transaction.
	 *
	 * @return the exit code, {@link #KILLED_EXIT_CODE} when SIGKILL ended it
	 */
	public int kill() {
		this.process.destroyForcibly();
		return awaitExit(Duration.ofSeconds(30));
	}

	/** A graceful stop (SIGTERM), and SIGKILL if the node takes too long. */
	@Override
	public void close() {
		if (!this.process.isAlive()) {
			RUNNING.remove(this.process);
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill();
		}
		RUNNING.remove(this.process);
	}

	/** Whether the node's log has a line with this text. */
	public boolean logged(String text) {
		try (var lines = Files.lines(this.log)) {
			return lines.anyMatch((line) -> line.contains(text));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the log of node " + this.name, ex);
		}
	}

	/** The end of the node's log, to explain a failure. */
	public String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("Node " + this.name + " did not end within " + timeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		RUNNING.remove(this.process);
		return this.process.exitValue();
	}

	private static void pause() {
		try {
			Thread.sleep(500);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String javaExecutable() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	/**
	 * The application's classes and its runtime libraries, as Maven resolved them into
	 * {@code target/node-classpath.txt}; without that file (a run outside Maven), the test JVM's
	 * class path without the test classes.
	 */
	private static String classPath() {
		Path classes = Path.of("target", "classes").toAbsolutePath();
		Path runtime = Path.of("target", "node-classpath.txt");
		try {
			if (Files.exists(runtime)) {
				return classes + File.pathSeparator + Files.readString(runtime).strip();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
		entries.removeIf((entry) -> entry.endsWith("test-classes") || entry.endsWith("test-classes/"));
		return String.join(File.pathSeparator, entries);
	}

}
