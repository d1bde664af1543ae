package io.nurtureflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Nurtureflow nodes ({@link NodeProcess}) sharing what nodes share in production: one fresh
 * PostgreSQL database (in the test JVM's embedded server), one SMTP server (GreenMail) and one
 * Twilio (WireMock), and the same configuration: the same secrets, API key and settings. The
 * journeys' waits are made short and the contact windows always open, so a new lead's first
 * touches follow within seconds whatever the time of day.
 */
public final class NodeCluster implements AutoCloseable {

	public static final String API_KEY = "cluster-api-key";

	public static final String ADMIN_PASSWORD = "cluster-admin-secret";

	public static final String MANAGER = "managers@nurtureflow.test";

	public static final String TWILIO_ACCOUNT = LiveChannels.TWILIO_ACCOUNT;

	public static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + TWILIO_ACCOUNT + "/Messages.json";

	private final String database;

	private final GreenMail smtp;

	private final WireMockServer twilio;

	private final Path logs;

	private final Map<String, String> settings;

	private final List<String> properties;

	private final Map<String, Integer> ports = new ConcurrentHashMap<>();

	private final Map<String, Integer> starts = new ConcurrentHashMap<>();

	private final List<NodeProcess> nodes = new ArrayList<>();

	private final JdbcClient jdbc;

	private NodeCluster(String database, Map<String, String> settings, List<String> properties) {
		this.database = database;
		this.settings = settings;
		this.properties = properties;
		this.logs = Path.of("target", "nodes", database).toAbsolutePath();
		this.smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
		this.smtp.start();
		this.twilio = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
		this.twilio.start();
		twilioTakesMessagesWithin(Duration.ZERO);
		this.jdbc = JdbcClient.create(new DriverManagerDataSource(jdbcUrl(), "postgres", "postgres"));
	}

	/**
	 * A cluster on a database of its own, created empty.
	 *
	 * @param database the database's name, also the folder of the nodes' logs under
	 * {@code target/nodes}
	 * @param settings environment variables on top of (or instead of) the cluster's own
	 * @param properties {@code name=value} system properties for settings that have no variable
	 */
	public static NodeCluster onFreshDatabase(String database, Map<String, String> settings, List<String> properties) {
		var server = EmbeddedPostgres.server();
		JdbcClient admin = JdbcClient.create(server.getPostgresDatabase());
		admin.sql("drop database if exists " + database).update();
		admin.sql("create database " + database).update();
		return new NodeCluster(database, settings, properties);
	}

	/** Starts a node (again, after a kill, under the same name, port and database). */
	public NodeProcess start(String name) {
		int port = this.ports.computeIfAbsent(name, (n) -> freePort());
		int start = this.starts.merge(name, 1, Integer::sum);
		List<String> nodeProperties = new ArrayList<>(this.properties);
		// the job log's HOSTNAME_ tells which node ran a job; on one machine they would all look alike
		nodeProperties.add("camunda.bpm.generic-properties.properties.hostname=" + name);
		nodeProperties.add("nurture.twilio.api-base-url=" + this.twilio.baseUrl());
		NodeProcess node = NodeProcess.start(name, environment(port), nodeProperties,
				this.logs.resolve(name + "-" + start + ".log"));
		synchronized (this.nodes) {
			this.nodes.add(node);
		}
		return node;
	}

	public JdbcClient jdbc() {
		return this.jdbc;
	}

	public GreenMail smtp() {
		return this.smtp;
	}

	public WireMockServer twilio() {
		return this.twilio;
	}

	@Override
	public void close() {
		synchronized (this.nodes) {
			this.nodes.forEach(NodeProcess::close);
		}
		this.smtp.stop();
		this.twilio.stop();
	}

	private Map<String, String> environment(int port) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("PORT", String.valueOf(port));
		environment.put("SPRING_PROFILES_ACTIVE", "postgres");
		environment.put("NURTURE_DB_URL", jdbcUrl());
		environment.put("NURTURE_DB_USER", "postgres");
		environment.put("NURTURE_DB_PASSWORD", "postgres");
		environment.put("NURTURE_DB_POOL_SIZE", "16");
		environment.put("NURTURE_ADMIN_PASSWORD", ADMIN_PASSWORD);
		environment.put("NURTURE_API_KEYS", API_KEY);
		environment.put("NURTURE_TRACKING_SECRET", "cluster-tracking-secret-0123456789abcdef");
		environment.put("NURTURE_PUBLIC_URL", "https://nurture.example.com");
		environment.put("NURTURE_SMTP_HOST", "127.0.0.1");
		environment.put("NURTURE_SMTP_PORT", String.valueOf(this.smtp.getSmtp().getPort()));
		environment.put("NURTURE_MAIL_FROM", "Nurtureflow <hello@nurtureflow.test>");
		environment.put("NURTURE_MANAGER_EMAILS", MANAGER);
		environment.put("TWILIO_ACCOUNT_SID", TWILIO_ACCOUNT);
		environment.put("TWILIO_AUTH_TOKEN", LiveChannels.TWILIO_TOKEN);
		environment.put("TWILIO_FROM", LiveChannels.TWILIO_FROM);
		// every window open, so no touch is deferred to a quieter hour and the SLA runs at once
		environment.put("NURTURE_SMS_HOURS", "");
		environment.put("NURTURE_SMS_DAYS", "MON-SUN");
		environment.put("NURTURE_CALL_HOURS", "");
		environment.put("NURTURE_BUSINESS_HOURS", "00:00-23:59");
		environment.put("NURTURE_BUSINESS_DAYS", "MON-SUN");
		environment.put("NURTURE_CALL_SLA", "PT5S");
		environment.putAll(this.settings);
		return environment;
	}

	private String jdbcUrl() {
		return EmbeddedPostgres.server().getJdbcUrl("postgres", this.database);
	}

	/**
	 * Twilio queues every message, answering after {@code latency} (the real API takes a few hundred
	 * milliseconds); the sid is new for every message.
	 */
	public void twilioTakesMessagesWithin(Duration latency) {
		this.twilio.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).willReturn(aResponse().withStatus(201)
			.withFixedDelay((int) latency.toMillis())
			.withHeader("Content-Type", "application/json")
			.withTransformers("response-template")
			.withBody("""
					{"account_sid":"%s","api_version":"2010-04-01","body":"Hi","date_created":"Tue, 04 Jun 2030 14:00:00 +0000",
					 "date_sent":null,"date_updated":"Tue, 04 Jun 2030 14:00:00 +0000","direction":"outbound-api",
					 "error_code":null,"error_message":null,"from":"%s","messaging_service_sid":null,"num_media":"0",
					 "num_segments":"1","price":null,"price_unit":"USD","sid":"SM{{randomValue length=32 type='HEXADECIMAL'}}",
					 "status":"queued","to":"+12025550100","uri":"/2010-04-01/Accounts/%s/Messages/SM0.json"}
					""".formatted(TWILIO_ACCOUNT, LiveChannels.TWILIO_FROM, TWILIO_ACCOUNT))));
	}

	private static int freePort() {
		try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
