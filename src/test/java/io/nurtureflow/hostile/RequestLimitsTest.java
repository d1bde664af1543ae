package io.nurtureflow.hostile;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.NurtureflowTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits at the edge, through the real server with its default settings: body sizes (413
 * before reading), JSON depth, Idempotency-Key syntax, and the rate of the public endpoints per
 * client address (429 with Retry-After).
 */
@NurtureflowTest
class RequestLimitsTest {

	private static final int JSON_LIMIT = 256 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@Test
	void aJsonBodyOverItsLimitIsRefusedBeforeItIsRead() {
		String email = "too-big-" + UUID.randomUUID() + "@example.com";
		Response answer = this.api.postJson("/api/leads", lead(email, "x".repeat(JSON_LIMIT)));

		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.json().get("status").asInt()).isEqualTo(413);
		assertThat(answer.json().get("maxBytes").asLong()).isEqualTo(JSON_LIMIT);
		assertThat(leads(email)).isZero();
	}

	@Test
	void aChunkedJsonBodyIsCountedAndStoppedAtItsLimit() {
		String email = "chunked-" + UUID.randomUUID() + "@example.com";
		byte[] body = lead(email, "x".repeat(JSON_LIMIT)).getBytes(StandardCharsets.UTF_8);
		Response answer = this.api.send(this.api.request("/api/leads")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.json().get("maxBytes").asLong()).isEqualTo(JSON_LIMIT);
		assertThat(leads(email)).isZero();

		byte[] small = lead(email, "Small Co").getBytes(StandardCharsets.UTF_8);
		Response fits = this.api.send(this.api.request("/api/leads")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))));
		assertThat(fits.status()).as(fits.body()).isEqualTo(201);
	}

	@Test
	void aCsvDeclaringMoreThanItsLimitIsRefusedWithoutSendingIt() {
		RawHttp.Response answer = RawHttp.send(this.port, """
				POST /api/leads/import HTTP/1.1\r
				Host: localhost\r
				X-Api-Key: %s\r
				Content-Type: text/csv\r
				Content-Length: %d\r
				Connection: close""".formatted(Api.API_KEY, 60L * 1024 * 1024));

		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.body()).contains("\"maxBytes\":" + 50L * 1024 * 1024);
	}

	/**
	 * A chunked CSV declares no length, so it is read until it passes the limit; the rows before
	 * that point stay imported (each row commits on its own), and the report says where and why
	 * reading stopped.
	 */
	@Test
	void aChunkedCsvIsStoppedAtItsLimitAndSaysSo() {
		long limit = 50L * 1024 * 1024;
		String email = "chunked-csv-" + UUID.randomUUID() + "@example.com";
		byte[] head = ("email,company\n" + email + ",").getBytes(StandardCharsets.US_ASCII);
		Response answer = this.api.send(this.api.request("/api/leads/import")
			.header("Content-Type", "text/csv")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {

				private long sent;

				@Override
				public int read() {
					byte[] one = new byte[1];
					return (read(one, 0, 1) < 0) ? -1 : one[0];
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					if (this.sent > limit + 64 * 1024) {
						return -1;
					}
					for (int i = 0; i < length; i++, this.sent++) {
						buffer[offset + i] = (this.sent < head.length) ? head[(int) this.sent] : (byte) 'x';
					}
					return length;
				}

			})));

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.json().get("created").asInt()).isZero();
		assertThat(answer.json().get("error").asText()).contains("larger than the 50MB this endpoint accepts");
		assertThat(leads(email)).isZero();
	}

	@Test
	void aCsvUnderItsLimitIsNotHeldToTheJsonLimit() {
		StringBuilder csv = new StringBuilder("email,company\n");
		while (csv.length() < 2 * JSON_LIMIT) {
			csv.append("not-an-email,").append("x".repeat(150)).append('\n');
		}
		Response answer = this.api.postCsv("/api/leads/import", csv.toString());

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().get("created").asInt()).isZero();
		assertThat(answer.json().get("rejected").asInt()).isPositive();
	}

	@Test
	void publicEndpointsTakeSmallBodiesAndWebhooksMustDeclareTheirLength() {
		String form = "Body=" + "x".repeat(17 * 1024);
		Response webhook = this.api.send(this.api.request("/webhooks/twilio/sms", "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Forwarded-For", randomAddress())
			.POST(HttpRequest.BodyPublishers.ofString(form)));
		assertThat(webhook.status()).isEqualTo(413);
		assertThat(webhook.header("Content-Type")).startsWith("application/problem+json");

		Response unsubscribe = this.api.send(this.api.request("/t/u/not-a-token", "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Forwarded-For", randomAddress())
			.POST(HttpRequest.BodyPublishers.ofString(form)));
		assertThat(unsubscribe.status()).isEqualTo(413);

		byte[] small = "Body=STOP&From=%2B12025550100".getBytes(StandardCharsets.UTF_8);
		Response chunked = this.api.send(this.api.request("/webhooks/twilio/sms", "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Forwarded-For", randomAddress())
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))));
		assertThat(chunked.status()).isEqualTo(411);
		assertThat(chunked.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void anInboundEmailWithFieldsOverTheContainersDefaultFormSizeIsTaken() {
		String email = "long-reply-" + UUID.randomUUID() + "@example.com";
		assertThat(this.api.postJson("/api/leads", lead(email, "Acme")).status()).isEqualTo(201);
		String text = "quoted-".repeat(450_000);

		Response form = this.api.send(this.api.request("/api/inbound/email")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("from=" + email + "&subject=Re&text=" + text)));
		String boundary = "reply-" + UUID.randomUUID();
		String parts = "--%1$s\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\n%2$s\r\n"
				+ "--%1$s\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n%3$s\r\n--%1$s--\r\n";
		Response multipart = this.api.send(this.api.request("/api/inbound/email")
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(parts.formatted(boundary, email, text))));

		for (Response answer : List.of(form, multipart)) {
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			assertThat(answer.json().get("leads").asInt()).isOne();
		}
		assertThat(this.jdbc.sql("""
				select count(*) from engagement_event e join lead l on l.id = e.lead_id
				where l.email = ? and e.type = 'REPLIED'""").param(email).query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void aFormBodyThatDoesNotDeclareItsLengthIsRefusedBeforeTheContainerParsesIt() {
		byte[] form = "from=nobody%40example.com&text=hello".getBytes(StandardCharsets.UTF_8);

		Response answer = this.api.send(this.api.request("/api/inbound/email")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form))));

		assertThat(answer.status()).isEqualTo(411);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void aFormBodyToCamundasWebappsIsHeldToTheContainersDefault() {
		Response login = this.api.send(this.api.request("/camunda/api/admin/auth/user/default/login/cockpit",
				"Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=demo&password=" + "x".repeat(3 * 1024 * 1024))));

		assertThat(login.status()).isEqualTo(413);
		assertThat(login.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void aLongHostHeaderIsNoPartOfTheAnswerAStoredRetryGetsBack() {
		String email = "long-host-" + UUID.randomUUID() + "@example.com";
		byte[] body = lead(email, "Acme").getBytes(StandardCharsets.UTF_8);
		String key = "host-" + UUID.randomUUID();
		String host = String.join(".", java.util.Collections.nCopies(10, "h".repeat(60))) + ".example.com";

		RawHttp.Response created = RawHttp.send(this.port, String.join("\r\n", "POST /api/leads HTTP/1.1",
				"Host: " + host, "X-Api-Key: " + Api.API_KEY, "Idempotency-Key: " + key,
				"Content-Type: application/json", "Content-Length: " + body.length, "Connection: close"), body);
		Response retried = this.api.postJson("/api/leads", lead(email, "Acme"), "Idempotency-Key", key);

		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.header("Location")).startsWith("/api/leads/").doesNotContain(host);
		assertThat(retried.status()).isEqualTo(201);
		assertThat(retried.header("Location")).isEqualTo(created.header("Location"));
		assertThat(leads(email)).isOne();
	}

	@Test
	void jsonNestedTooDeeplyIsA400NotACrash() {
		for (int depth : new int[] { 51, 1_000, 100_000 }) {
			String email = "deep-" + UUID.randomUUID() + "@example.com";
			String body = "{\"email\":\"" + email + "\",\"interests\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
			Response answer = this.api.postJson("/api/leads", body);
			assertThat(answer.status()).as("depth %d", depth).isIn(400, 413);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
			assertThat(leads(email)).isZero();
		}
		String nested = "{\"a\":".repeat(60) + "1" + "}".repeat(60);
		Response answer = this.api.postJson("/api/suppressions", nested);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("detail").asText()).contains("nested deeper than 50");
	}

	@Test
	void camundasOwnEndpointsKeepTheirOwnHandling() {
		Response engine = this.api.send(this.api.request("/engine-rest/message", "Authorization", "")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"messageName\":\"" + "x".repeat(JSON_LIMIT) + "\"}")));
		assertThat(engine.status()).isEqualTo(401);
	}

	@Test
	void anIdempotencyKeyThatIsNoKeyIsA400AndStoresNothing() {
		String email = "key-" + UUID.randomUUID() + "@example.com";
		for (String key : new String[] { "", " ", "has space", "tab\tinside", "x".repeat(201), "k".repeat(7_000) }) {
			Response answer = this.api.postJson("/api/leads", lead(email, "Acme"), "Idempotency-Key", key);
			assertThat(answer.status()).as("key %.20s", key).isEqualTo(400);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		}
		for (String key : new String[] { "ctl\u0001char", "del\u007Fchar", "nul\u0000char", "caf\u00e9", "esc\u001b[31m",
				"k".repeat(10 * 1024) }) {
			byte[] body = lead(email, "Acme").getBytes(StandardCharsets.UTF_8);
			RawHttp.Response answer = RawHttp.send(this.port, """
					POST /api/leads HTTP/1.1\r
					Host: localhost\r
					X-Api-Key: %s\r
					Content-Type: application/json\r
					Idempotency-Key: %s\r
					Content-Length: %d\r
					Connection: close""".formatted(Api.API_KEY, key, body.length), body);
			assertThat(answer.status()).as("key %.20s", key).isEqualTo(400);
		}
		assertThat(leads(email)).isZero();
		assertThat(this.jdbc.sql("select count(*) from idempotency_request where length(idempotency_key) > 200")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void theErrorPageAskedForDirectlyIsNotFound() {
		for (String path : new String[] { "/error", "/error?status=500" }) {
			Response answer = this.api.get(path, "Authorization", "");
			assertThat(answer.status()).isEqualTo(404);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		}
	}

	@Test
	void trackingIsLimitedPerClientAddress() {
		String client = randomAddress();
		long started = System.nanoTime();
		for (int i = 0; i < 60; i++) {
			assertThat(tracking(client).status()).as("request %d", i + 1).isEqualTo(404);
		}
		Response limited = untilLimited(client, 60, started);
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
		assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
		assertThat(tracking(randomAddress()).status()).as("another client").isEqualTo(404);
	}

	@Test
	void webhooksAreLimitedPerClientAddress() {
		String client = randomAddress();
		long started = System.nanoTime();
		for (int i = 0; i < 600; i++) {
			assertThat(webhook(client).status()).as("request %d", i + 1).isEqualTo(403);
		}
		Response limited = untilLimited(client, 600, started);
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.header("Retry-After")).isNotBlank();
		assertThat(webhook(randomAddress()).status()).as("another client").isEqualTo(403);
	}

	/** Requests on until the limit answers; the bucket refills at perMinute/60 a second meanwhile. */
	private Response untilLimited(String client, int perMinute, long started) {
		boolean webhooks = perMinute == 600;
		for (int i = 0;; i++) {
			Response answer = webhooks ? webhook(client) : tracking(client);
			if (answer.status() == 429) {
				return answer;
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			assertThat(i).as("requests past the burst before the limit answered")
				.isLessThanOrEqualTo((int) Math.ceil(seconds * perMinute / 60.0) + 1);
		}
	}

	private Response tracking(String client) {
		return this.api.get("/t/o/not-a-token", "Authorization", "", "X-Forwarded-For", client);
	}

	private Response webhook(String client) {
		return this.api.send(this.api.request("/webhooks/twilio/status", "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Twilio-Signature", "forged")
			.header("X-Forwarded-For", client)
			.POST(HttpRequest.BodyPublishers.ofString("MessageSid=SM00000000000000000000000000000000&MessageStatus=delivered")));
	}

	private static String randomAddress() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "100." + random.nextInt(64, 128) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
	}

	private long leads(String email) {
		return this.jdbc.sql("select count(*) from lead where email = ?").param(email).query(Long.class).single();
	}

	private static String lead(String email, String company) {
		return "{\"email\":\"" + email + "\",\"company\":\"" + company + "\"}";
	}

}
