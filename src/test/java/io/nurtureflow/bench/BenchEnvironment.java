package io.nurtureflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nurtureflow.NurtureflowApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The real server for a benchmark: a fresh embedded PostgreSQL (zonky binaries from Maven) and
 * the whole Spring Boot application on a random loopback port with profile {@code postgres}.
 * <p>
 * PostgreSQL runs with {@code synchronous_commit=on}, the server's own default and what
 * production uses (zonky turns it off for tests); {@code -Dbench.pg.synchronousCommit=off}
 * gives zonky's setting. Any Spring property can be overridden with {@code -Dname=value}, e.g.
 * {@code -Dcamunda.bpm.job-execution.max-pool-size=4}: system properties win over the
 * defaults set here. {@code -Dbench.pg.dataDirectory=/some/dir} keeps the database in that
 * directory after the run and starts on it the next time, instead of a fresh one.
 */
final class BenchEnvironment implements AutoCloseable {

	static final String API_KEY = "bench-key";

	private final EmbeddedPostgres postgres;

	private final ConfigurableApplicationContext app;

	private final String synchronousCommit;

	private BenchEnvironment(EmbeddedPostgres postgres, ConfigurableApplicationContext app, String synchronousCommit) {
		this.postgres = postgres;
		this.app = app;
		this.synchronousCommit = synchronousCommit;
	}

	/** What a benchmark measures on the server it is given: its report. */
	@FunctionalInterface
	interface Benchmark {

		String runOn(BenchEnvironment env) throws Exception;

	}

	/**
	 * Starts the server as {@link #start(Map, Map)} does, runs {@code benchmark} on it, stops it,
	 * then prints the report and how long the whole run took.
	 */
	static void runAndPrint(Map<String, String> extra, Map<String, String> postgresSettings, Benchmark benchmark)
			throws Exception {
		long began = System.nanoTime();
		String report;
		try (BenchEnvironment env = start(extra, postgresSettings)) {
			report = benchmark.runOn(env);
		}
		System.out.println(report);
		System.out.printf("(whole run, start-up included: %.0f s)%n", (System.nanoTime() - began) / 1e9);
	}

	/**
	 * Starts PostgreSQL and the app; {@code extra} are further default properties, and
	 * {@code postgresSettings} PostgreSQL server settings ({@code postgresql.conf} names) on top of
	 * zonky's; {@code -Dbench.pg.<name>=value} overrides any of them, e.g.
	 * {@code -Dbench.pg.shared_buffers=1GB}.
	 */
	static BenchEnvironment start(Map<String, String> extra, Map<String, String> postgresSettings) {
		String synchronousCommit = System.getProperty("bench.pg.synchronousCommit", "on");
		boolean statements = Boolean.parseBoolean(System.getProperty("bench.pg.statStatements", "true"));
		EmbeddedPostgres postgres;
		try {
			var builder = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", synchronousCommit);
			postgresSettings(postgresSettings).forEach(builder::setServerConfig);
			String dataDirectory = System.getProperty("bench.pg.dataDirectory");
			if (dataDirectory != null) {
				// kept between runs, so a large data set is seeded once
				builder.setDataDirectory(java.nio.file.Path.of(dataDirectory)).setCleanDataDirectory(false);
			}
			if (statements) {
				builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
			}
			postgres = builder.start();
			if (statements) {
				try (var connection = postgres.getPostgresDatabase().getConnection();
						var statement = connection.createStatement()) {
					statement.execute("create extension if not exists pg_stat_statements");
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException("Could not enable pg_stat_statements", ex);
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "postgres");
		properties.put("spring.datasource.hikari.maximum-pool-size", "30");
		properties.put("NURTURE_ADMIN_PASSWORD", "bench-admin-secret");
		properties.put("nurture.security.api-keys", API_KEY);
		properties.put("nurture.tracking.secret", "bench-tracking-secret-0123456789abcdef");
		properties.putAll(extra);
		ConfigurableApplicationContext app;
		try {
			// Above the application's own files (which read NURTURE_DB_URL and friends), below system
			// properties, so -Dname=value still overrides any of these.
			app = new SpringApplicationBuilder(NurtureflowApplication.class).profiles("postgres")
				.initializers((context) -> context.getEnvironment()
					.getPropertySources()
					.addAfter(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
							new MapPropertySource("benchmark", properties)))
				.run();
		}
		catch (RuntimeException ex) {
			closeQuietly(postgres);
			throw ex;
		}
		return new BenchEnvironment(postgres, app, synchronousCommit);
	}

	/** An SMTP server (GreenMail) in this JVM, started on a free loopback port. */
	static GreenMail smtpServer() {
		GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		return smtp;
	}

	/** The application settings that send email to {@code smtp}. */
	static Map<String, String> sendingTo(GreenMail smtp) {
		return Map.of("nurture.email.smtp-host", "127.0.0.1", "nurture.email.smtp-port",
				String.valueOf(smtp.getSmtp().getPort()));
	}

	/** The given settings, then every {@code -Dbench.pg.<name>} with a name in postgresql.conf's style. */
	private static Map<String, String> postgresSettings(Map<String, String> defaults) {
		Map<String, String> settings = new LinkedHashMap<>(defaults);
		System.getProperties().forEach((key, value) -> {
			String name = key.toString();
			if (name.startsWith("bench.pg.") && name.substring("bench.pg.".length()).contains("_")) {
				settings.put(name.substring("bench.pg.".length()), value.toString());
			}
		});
		return settings;
	}

	int port() {
		return ((ServletWebServerApplicationContext) this.app).getWebServer().getPort();
	}

	<T> T bean(Class<T> type) {
		return this.app.getBean(type);
	}

	ProcessEngine engine() {
		return bean(ProcessEngine.class);
	}

	JdbcTemplate jdbc() {
		return bean(JdbcTemplate.class);
	}

	JobExecutor jobExecutor() {
		return ((ProcessEngineConfigurationImpl) engine().getProcessEngineConfiguration()).getJobExecutor();
	}

	/** What this run ran on: machine, JVM, database and the effective job-executor settings. */
	List<String[]> setting() {
		List<String[]> rows = new ArrayList<>();
		rows.add(row("cores (availableProcessors)", String.valueOf(Runtime.getRuntime().availableProcessors())));
		rows.add(row("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
				+ ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB"));
		rows.add(row("PostgreSQL", this.jdbc().queryForObject("show server_version", String.class)
				+ " (zonky, same machine), synchronous_commit=" + this.synchronousCommit + ", shared_buffers="
				+ this.jdbc().queryForObject("show shared_buffers", String.class) + ", work_mem="
				+ this.jdbc().queryForObject("show work_mem", String.class)));
		rows.add(row("load average (1 min) now", loadAverage()));
		rows.add(row("Hikari maximum-pool-size",
				this.app.getEnvironment().getProperty("spring.datasource.hikari.maximum-pool-size")));
		boolean jobs = Boolean.parseBoolean(this.app.getEnvironment().getProperty("camunda.bpm.job-execution.enabled"));
		rows.add(row("job executor", jobs ? "on" : "off"));
		if (jobs) {
			ThreadPoolTaskExecutor pool = (ThreadPoolTaskExecutor) this.app.getBean("camundaTaskExecutor");
			JobExecutor executor = jobExecutor();
			rows.add(row("  core / max pool, queue", pool.getCorePoolSize() + " / " + pool.getMaxPoolSize() + ", "
					+ pool.getQueueCapacity()));
			rows.add(row("  max jobs per acquisition", String.valueOf(executor.getMaxJobsPerAcquisition())));
			rows.add(row("  wait time (ms)", String.valueOf(executor.getWaitTimeInMillis())));
		}
		return rows;
	}

	static String loadAverage() {
		try {
			return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	@Override
	public void close() {
		try {
			this.app.close();
		}
		finally {
			closeQuietly(this.postgres);
		}
	}

	private static void closeQuietly(EmbeddedPostgres postgres) {
		try {
			postgres.close();
		}
		catch (IOException ex) {
			System.err.println("Could not stop embedded PostgreSQL: " + ex);
		}
	}

	/**
	 * Runs a {@code count(*)} every {@code every} until it is 0 or the deadline ({@link System#nanoTime})
	 * has passed; returns the last count.
	 */
	static long countUntilNone(JdbcTemplate jdbc, Duration every, long deadline, String count, Object... arguments)
			throws InterruptedException {
		long left;
		while ((left = jdbc.queryForObject(count, Long.class, arguments)) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(every.toMillis());
		}
		return left;
	}

	static String[] row(String... cells) {
		return cells;
	}

	/** The {@code q}-quantile (0..1) of sorted nanos, by the nearest-rank method, in ms. */
	static double percentileMillis(long[] sortedNanos, double q) {
		if (sortedNanos.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(q * sortedNanos.length);
		return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1_000_000.0;
	}

	/** A plain text table, columns padded to their widest cell. */
	static String table(String[] header, List<String[]> rows) {
		int[] widths = new int[header.length];
		List<String[]> all = new ArrayList<>();
		all.add(header);
		all.addAll(rows);
		for (String[] row : all) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		StringBuilder out = new StringBuilder();
		for (int r = 0; r < all.size(); r++) {
			String[] row = all.get(r);
			out.append("| ");
			for (int i = 0; i < header.length; i++) {
				String cell = (i < row.length) ? row[i] : "";
				out.append(cell).append(" ".repeat(widths[i] - cell.length())).append(" | ");
			}
			out.setLength(out.length() - 1);
			out.append('\n');
			if (r == 0) {
				out.append('|');
				for (int width : widths) {
					out.append("-".repeat(width + 2)).append('|');
				}
				out.append('\n');
			}
		}
		return out.toString();
	}

	static String format(double value) {
		return String.format(java.util.Locale.ROOT, "%.1f", value);
	}

	/** Growable array of longs: one per request, without boxing. */
	static final class Nanos {

		private long[] values = new long[1 << 14];

		private int size;

		void add(long value) {
			if (this.size == this.values.length) {
				this.values = java.util.Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		int size() {
			return this.size;
		}

		static long[] sortedUnion(List<Nanos> all) {
			int total = all.stream().mapToInt(Nanos::size).sum();
			long[] union = new long[total];
			int at = 0;
			for (Nanos nanos : all) {
				System.arraycopy(nanos.values, 0, union, at, nanos.size);
				at += nanos.size;
			}
			java.util.Arrays.sort(union);
			return union;
		}

	}

}
