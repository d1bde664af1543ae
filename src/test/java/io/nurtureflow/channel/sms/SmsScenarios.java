package io.nurtureflow.channel.sms;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.twilio.security.RequestValidator;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.FirstSteps;
import io.nurtureflow.support.LiveChannels;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the SMS scenarios share: leads pushed in through the API, the journey's SMS step run by
 * hand on the engine's clock, WireMock standing in for Twilio's API, and webhooks signed the
 * way Twilio signs them.
 */
abstract class SmsScenarios {

	static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + LiveChannels.TWILIO_ACCOUNT + "/Messages.json";

	static final String PUBLIC_URL = "https://nurture.example.com";

	static final ZoneId LEAD_ZONE = ZoneId.of("America/New_York");

	static final String SMS_STEP = "Task_SendAcknowledgementSms";

	@LocalServerPort
	int port;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	HistoryService history;

	@Autowired
	JdbcClient jdbc;

	Api api;

	WireMockServer twilio;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
		this.twilio = LiveChannels.twilio();
		this.twilio.resetAll();
	}

	@AfterEach
	void resetClock() {
		ClockUtil.reset();
	}

	/** A Tuesday, 10:00 at the lead's place: inside the SMS hours, so the step sends at once. */
	static void duringSmsHours() {
		ClockUtil.setCurrentTime(Date.from(ZonedDateTime.of(2030, 6, 4, 10, 0, 0, 0, LEAD_ZONE).toInstant()));
	}

	/** A lead who gave SMS consent (and no email consent, so the email branch is skipped). */
	String newLead(String phone, String firstName) {
		return newLead(phone, firstName, true);
	}

	String newLead(String phone, String firstName, boolean smsConsent) {
		String name = (firstName != null) ? "\"firstName\":\"" + firstName + "\"," : "";
		Response created = this.api.postJson("/api/leads", """
				{"email":"sms-%s@example.com","phone":"%s",%s"timeZone":"%s","company":"Analytical Engines",
				 "consent":{"email":false,"sms":%s}}
				""".formatted(UUID.randomUUID(), phone, name, LEAD_ZONE.getId(), smsConsent));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String id = created.json().get("id").asText();
		FirstSteps.score(this.runtime, this.management, id);
		return id;
	}

	String journeyOf(String leadId) {
		return this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadId).singleResult().getId();
	}

	/** The job in front of the SMS step (its async-before continuation). */
	Job smsJob(String leadId) {
		return this.management.createJobQuery().processInstanceId(journeyOf(leadId)).activityId(SMS_STEP).singleResult();
	}

	/** Runs the SMS branch's jobs until the branch waits for nothing more. */
	void finishSmsBranch(String leadId) {
		for (int i = 0; i < 5 && smsJob(leadId) != null; i++) {
			this.management.executeJob(smsJob(leadId).getId());
		}
	}

	Map<String, Object> touch(String leadId) {
		return this.jdbc.sql("""
				select id, status, reason, provider_id, attempts, last_error from touch
				where lead_id = ? and channel = 'SMS'""").param(UUID.fromString(leadId)).query().singleRow();
	}

	int failedTouches(String leadId) {
		return this.jdbc.sql("select failed_touches from lead where id = ?")
			.param(UUID.fromString(leadId))
			.query(Integer.class)
			.single();
	}

	List<Map<String, Object>> engagements(String leadId) {
		return this.jdbc.sql("select type, channel, detail from engagement_event where lead_id = ? order by id")
			.param(UUID.fromString(leadId))
			.query()
			.listOfRows();
	}

	boolean smsConsent(String leadId) {
		return this.api.get("/api/leads/" + leadId).json().get("consent").get("sms").asBoolean();
	}

	// Twilio's API, played by WireMock

	/** Twilio accepts the message: 201 with the message resource, as the real API answers. */
	void twilioAccepts(String sid) {
		this.twilio.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).willReturn(accepted(sid)));
	}

	/** Twilio refuses the message with one of its error documents. */
	void twilioRefuses(int status, int code, String message) {
		this.twilio.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).willReturn(refusal(status, code, message)));
	}

	/** Twilio gives these answers to the next sends, one each, in this order. */
	void twilioAnswersInTurn(ResponseDefinitionBuilder... answers) {
		for (int i = 0; i < answers.length; i++) {
			this.twilio.stubFor(post(urlPathEqualTo(MESSAGES_PATH)).inScenario("answers in turn")
				.whenScenarioStateIs((i == 0) ? Scenario.STARTED : "answer " + i)
				.willSetStateTo("answer " + (i + 1))
				.willReturn(answers[i]));
		}
	}

	static ResponseDefinitionBuilder accepted(String sid) {
		return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
				{"account_sid":"%s","api_version":"2010-04-01","body":"Hi","date_created":"Tue, 04 Jun 2030 14:00:00 +0000",
				 "date_sent":null,"date_updated":"Tue, 04 Jun 2030 14:00:00 +0000","direction":"outbound-api",
				 "error_code":null,"error_message":null,"from":"%s","messaging_service_sid":null,"num_media":"0",
				 "num_segments":"1","price":null,"price_unit":"USD","sid":"%s","status":"queued",
				 "subresource_uris":{"media":"/2010-04-01/Accounts/%s/Messages/%s/Media.json"},"to":"+12025550100",
				 "uri":"/2010-04-01/Accounts/%s/Messages/%s.json"}
				""".formatted(LiveChannels.TWILIO_ACCOUNT, LiveChannels.TWILIO_FROM, sid, LiveChannels.TWILIO_ACCOUNT, sid,
				LiveChannels.TWILIO_ACCOUNT, sid));
	}

	static ResponseDefinitionBuilder refusal(int status, int code, String message) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("""
				{"code":%d,"message":"%s","more_info":"https://www.twilio.com/docs/errors/%d","status":%d}
				""".formatted(code, message, code, status));
	}

	/** Twilio's answer when an account sends faster than its limits allow. */
	static ResponseDefinitionBuilder throttled(String retryAfter) {
		return refusal(429, 20429, "Too Many Requests").withHeader("Retry-After", retryAfter);
	}

	static ResponseDefinitionBuilder serverError() {
		return refusal(500, 20500, "Internal Server Error");
	}

	List<LoggedRequest> sends() {
		return this.twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
	}

	long successfulSends() {
		return this.twilio.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getUrl().startsWith(MESSAGES_PATH))
			.filter((event) -> event.getResponse().getStatus() == 201)
			.count();
	}

	static Map<String, String> form(String body) {
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			String[] parts = pair.split("=", 2);
			params.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					URLDecoder.decode((parts.length > 1) ? parts[1] : "", StandardCharsets.UTF_8));
		}
		return params;
	}

	static String sid() {
		return "SM" + UUID.randomUUID().toString().replace("-", "");
	}

	// Twilio's webhooks

	/** Posts a webhook signed with Twilio's algorithm, as Twilio would call the public URL. */
	Response postSigned(String path, Map<String, String> params) {
		return postWebhook(path, params, sign(PUBLIC_URL + path, params, LiveChannels.TWILIO_TOKEN));
	}

	/** Posts a webhook with the given signature, or none; never with an API key or a login. */
	Response postWebhook(String path, Map<String, String> params, String signature) {
		String body = params.entrySet()
			.stream()
			.map((p) -> URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return this.api.send(this.api.request(path, "X-Api-Key", null, "X-Twilio-Signature", signature)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** An inbound SMS as Twilio posts it. */
	static Map<String, String> inboundSms(String from, String body, String messageSid) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("ToCountry", "US");
		params.put("SmsMessageSid", messageSid);
		params.put("NumMedia", "0");
		params.put("SmsSid", messageSid);
		params.put("SmsStatus", "received");
		params.put("Body", body);
		params.put("To", LiveChannels.TWILIO_FROM);
		params.put("NumSegments", "1");
		params.put("MessageSid", messageSid);
		params.put("AccountSid", LiveChannels.TWILIO_ACCOUNT);
		params.put("From", from);
		params.put("ApiVersion", "2010-04-01");
		return params;
	}

	/** A status callback as Twilio posts it. */
	static Map<String, String> statusCallback(String messageSid, String status, String errorCode) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("SmsSid", messageSid);
		params.put("SmsStatus", status);
		params.put("MessageStatus", status);
		params.put("To", "+12025550100");
		params.put("MessageSid", messageSid);
		params.put("AccountSid", LiveChannels.TWILIO_ACCOUNT);
		params.put("From", LiveChannels.TWILIO_FROM);
		params.put("ApiVersion", "2010-04-01");
		if (errorCode != null) {
			params.put("ErrorCode", errorCode);
		}
		return params;
	}

	/**
	 * Twilio's request signature: HMAC-SHA1 under the auth token of the URL followed by every
	 * POST parameter's name and value, sorted by name, in Base64. The SDK keeps its own signing
	 * private, so the tests compute it, and check that the SDK's validator agrees.
	 */
	static String sign(String url, Map<String, String> params, String token) {
		StringBuilder data = new StringBuilder(url);
		new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
			String signature = Base64.getEncoder()
				.encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
			assertThat(new RequestValidator(token).validate(url, params, signature))
				.as("Twilio's RequestValidator accepts the test's signature")
				.isTrue();
			return signature;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
