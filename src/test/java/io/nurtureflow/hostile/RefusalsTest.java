package io.nurtureflow.hostile;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fuzzer found answered wrongly (a 500, a bare status, an HTML page, an acceptance, or
 * a reply quietly dropped), each pinned down: a refusal is a 4xx RFC 7807 problem that stores
 * nothing, and what is accepted is kept.
 */
@NurtureflowTest
class RefusalsTest {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RuntimeService runtime;

	@Autowired
	IdentityService identity;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	/**
	 * The dispatcher parses a multipart body before it looks for the endpoint. A multipart type
	 * without a boundary cannot be parsed, so it is a 400 wherever it goes; one that parses is a
	 * 415 where no multipart is taken, and the inbound email, which takes it, finds no sender.
	 * None of them reaches a webhook's signature check (403).
	 */
	@Test
	void aMultipartTypeWithoutAUsableBodyIsA400OrWhereNoneIsTakenA415() {
		String unreadable = "https://nurtureflow.io/problems/unreadable-body";
		String unsupported = "https://nurtureflow.io/problems/unsupported-media-type";
		for (String path : new String[] { "/api/leads", "/api/inbound/email", "/api/leads/import",
				"/webhooks/twilio/status" }) {
			for (String type : new String[] { "multipart/form-data", "multipart/form-data; boundary=" }) {
				assertRefused(postMultipart(path, type), 400, unreadable, path + " " + type);
			}
			Response bounded = postMultipart(path, "multipart/form-data; boundary=x");
			if (path.equals("/api/inbound/email")) {
				assertRefused(bounded, 400, "https://nurtureflow.io/problems/bad-request", path);
				assertThat(bounded.json().get("detail").asText()).contains("'from'");
			}
			else {
				assertRefused(bounded, 415, unsupported, path);
			}
		}
		assertThat(this.jdbc.sql("select count(*) from lead where email = 'multipart@fuzz.invalid'")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aDisqualifyReasonWithControlCharactersOrOfAnyLengthIsRefused() {
		String lead = lead();
		for (String reason : new String[] { "bad%00reason", "bad%0Areason", "bad%C2%85reason", "r".repeat(501) }) {
			Response answer = this.api.send(this.api.request("/api/leads/" + lead + "/disqualify?reason=" + reason)
				.POST(HttpRequest.BodyPublishers.noBody()));
			assertThat(answer.status()).as(reason).isEqualTo(400);
			assertProblem(answer);
			assertThat(answer.json().get("errors").get(0).get("field").asText()).isEqualTo("reason");
		}
		assertThat(stage(lead)).isEqualTo("NEW");
		assertThat(this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(lead).count()).isPositive();
		assertThat(this.api.send(this.api.request("/api/leads/" + lead + "/disqualify?reason=budget+cut")
			.POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
		assertThat(stage(lead)).isEqualTo("DISQUALIFIED");
	}

	@Test
	void anEngagementAtAnImpossibleTimeIsRefusedAndNotStored() {
		String lead = lead();
		String tooLate = Instant.now().plus(2, ChronoUnit.DAYS).toString();
		for (String at : new String[] { "+999999999-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z",
				"+300000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z",
				tooLate }) {
			Response answer = this.api.postJson("/api/leads/" + lead + "/engagements",
					"{\"type\":\"CONVERTED\",\"occurredAt\":\"" + at + "\"}");
			assertThat(answer.status()).as(at).isEqualTo(400);
			assertProblem(answer);
			assertThat(answer.json().get("errors").get(0).get("field").asText()).isEqualTo("occurredAt");
		}
		assertThat(this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'CONVERTED'")
			.param(UUID.fromString(lead))
			.query(Long.class)
			.single()).isZero();
		Response past = this.api.postJson("/api/leads/" + lead + "/engagements",
				"{\"type\":\"CONTENT_DOWNLOADED\",\"occurredAt\":\"2024-05-01T09:30:00Z\"}");
		assertThat(past.status()).isEqualTo(201);
	}

	@Test
	void controlCharactersOfEveryKindAreRefusedInPushedText() {
		String lead = lead();
		for (String control : new String[] { "\\u0000", "\\u001b", "\\u007f", "\\u0085", "\\u009f" }) {
			Response detail = this.api.postJson("/api/leads/" + lead + "/engagements",
					"{\"type\":\"CONTENT_DOWNLOADED\",\"detail\":\"a" + control + "b\"}");
			assertThat(detail.status()).as(control).isEqualTo(400);
			Response reason = this.api.postJson("/api/suppressions",
					"{\"address\":\"c-" + UUID.randomUUID() + "@fuzz.invalid\",\"reason\":\"a" + control + "b\"}");
			assertThat(reason.status()).as(control).isEqualTo(400);
			assertProblem(reason);
		}
	}

	@Test
	void anInsightsPeriodBeyondFourDigitYearsIsA400() {
		WebappSession manager = new WebappSession(this.port);
		assertThat(manager.login(manager(), "manager password", "cockpit")).isEqualTo(200);
		for (String query : new String[] { "to=%2B999999999-12-31", "to=-999999999-01-01", "from=-999999999-01-01",
				"from=%2B10000-01-01&to=%2B10001-01-01", "to=0000-01-01" }) {
			for (String report : new String[] { "funnel", "speed-to-lead", "channels.csv", "who-converts" }) {
				var answer = manager.get("/insights/api/" + report + "?" + query);
				assertThat(answer.statusCode()).as("%s?%s", report, query).isEqualTo(400);
				assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
			}
		}
		assertThat(manager.get("/insights/api/funnel?from=0001-01-01&to=0002-12-31").statusCode()).isEqualTo(200);
		assertThat(manager.get("/insights/api/funnel?from=9998-01-01&to=9999-12-31").statusCode()).isEqualTo(200);
	}

	@Test
	void removingAnAddressThatIsNotListedIsAProblemNotABareStatus() {
		Response answer = this.api.send(this.api.request("/api/suppressions/nobody-" + UUID.randomUUID() + "@fuzz.invalid")
			.DELETE());
		assertThat(answer.status()).isEqualTo(404);
		assertProblem(answer);
	}

	@Test
	void aRefusalIsWrittenWhateverTheClientAccepts() {
		for (String accept : new String[] { "foo", "*/*;q=bogus", "image/png", "text/html" }) {
			Response answer = this.api.get("/api/leads/" + UUID.randomUUID(), "Accept", accept);
			assertThat(answer.status()).as(accept).isEqualTo(404);
			assertProblem(answer);
		}
	}

	@Test
	void whatTheServletContainerRefusesIsAProblemToo() {
		for (String path : new String[] { "/api/leads/%2F", "/api/leads/%zz", "/api/leads?email[]=x", "/api/%00",
				"/t/c/abc%2Fdef", "/..;/api/leads" }) {
			RawHttp.Response answer = RawHttp.send(this.port, """
					GET %s HTTP/1.1\r
					Host: localhost\r
					X-Api-Key: %s\r
					Connection: close""".formatted(path, Api.API_KEY));
			assertThat(answer.status()).as(path).isEqualTo(400);
			assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
			assertThat(answer.body()).as(path).contains("\"status\":400").doesNotContain("<html");
		}
		for (Map.Entry<String, Integer> refused : Map.of("TRACE", 405, "OPTIONS", 404).entrySet()) {
			String method = refused.getKey();
			RawHttp.Response answer = RawHttp.send(this.port, """
					%s /WEB-INF/web.xml HTTP/1.1\r
					Host: localhost\r
					Connection: close""".formatted(method));
			assertThat(answer.status()).as(method).isEqualTo(refused.getValue());
			assertThat(answer.header("Content-Type")).as(method).startsWith("application/problem+json");
		}
	}

	@Test
	void aReplyWithALongMessageIdOrANulCharacterIsKeptOnceNotDropped() {
		String email = "reply-" + UUID.randomUUID() + "@example.com";
		Response created = this.api.postJson("/api/leads", "{\"email\":\"" + email + "\"}");
		UUID lead = UUID.fromString(created.json().get("id").asText());
		String messageId = "<" + "m".repeat(300) + "@mail.example.com>";
		String form = "from=" + java.net.URLEncoder.encode("Reply <" + email + ">", java.nio.charset.StandardCharsets.UTF_8)
				+ "&subject=Re&text=yes%00please&Message-Id="
				+ java.net.URLEncoder.encode(messageId, java.nio.charset.StandardCharsets.UTF_8);
		for (int i = 0; i < 2; i++) {
			Response answer = this.api.send(this.api.request("/api/inbound/email")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form)));
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.json().get("leads").asInt()).isEqualTo(1);
		}
		assertThat(this.jdbc.sql("select detail from engagement_event where lead_id = ? and type = 'REPLIED'")
			.param(lead)
			.query(String.class)
			.list()).containsExactly("Re\nyesplease");
	}

	private Response postMultipart(String path, String type) {
		return this.api.send(this.api.request(path)
			.header("Content-Type", type)
			.header("X-Forwarded-For", "192.0.2." + (1 + (int) (Math.random() * 250)))
			.POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"multipart@fuzz.invalid\"}")));
	}

	private void assertRefused(Response answer, int status, String type, String what) {
		assertThat(answer.status()).as("%s: %s", what, answer.body()).isEqualTo(status);
		assertProblem(answer);
		assertThat(answer.json().get("type").asText()).as(what).isEqualTo(type);
	}

	private void assertProblem(Response answer) {
		assertThat(answer.header("Content-Type")).as(answer.body()).startsWith("application/problem+json");
		JsonNode problem = answer.json();
		assertThat(problem.get("status").asInt()).isEqualTo(answer.status());
		assertThat(problem.get("type").asText()).startsWith("https://nurtureflow.io/problems/");
	}

	private String lead() {
		Response created = this.api.postJson("/api/leads",
				"{\"email\":\"refusals-" + UUID.randomUUID() + "@example.com\"}");
		assertThat(created.status()).isEqualTo(201);
		return created.json().get("id").asText();
	}

	private String stage(String lead) {
		return this.jdbc.sql("select stage from lead where id = ?").param(UUID.fromString(lead)).query(String.class)
			.single();
	}

	private String manager() {
		String id = "refusals" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = this.identity.newUser(id);
		user.setPassword("manager password");
		this.identity.saveUser(user);
		this.identity.createMembership(id, "managers");
		return id;
	}

}
