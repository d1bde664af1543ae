package io.nurtureflow.hostile;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.support.People;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input, from a seeded generator, to the webapps' own APIs that Tasklist, Cockpit and Admin
 * call besides the engine's: Cockpit's queries of process definitions, instances and incidents
 * ({@code /camunda/api/cockpit/plugin/base}), Admin's metrics and sign-in, the plugins' assets, and
 * the engine API's reads Tasklist makes of a task's form and of its filters' lists, and the changes
 * of a user's own profile and password the Welcome page sends. Signed in as a rep, a manager and an
 * administrator, each request gets an answer that is not 5xx, and none changes what is stored
 * ({@link StoredState}). {@code -Dfuzz.seed=<n>} repeats a run.
 */
@io.nurtureflow.support.NurtureflowTest
class WebappFuzzingTest {

	private static final long SEED = Long.getLong("fuzz.seed", 20_250_612L);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String COCKPIT = "/camunda/api/cockpit/plugin/base/default/";

	private static final String ADMIN = "/camunda/api/admin/";

	private static final String ENGINE = "/camunda/api/engine/engine/default/";

	private static final List<String> IDS = List.of("", "nope", "00000000-0000-0000-0000-000000000000", "lead-nurture:1:x",
			"' OR 1=1;--", "../../etc/passwd", "%00", "é", "x".repeat(65), "x".repeat(5_000), "null", "-1");

	private static final List<Object> NUMBERS = List.of("-1", "-2147483648", "2147483647", "2147483648",
			"99999999999999999999", "1.5", "abc", "", " ", "0x10", "1e9", "NaN", "-0");

	private static final List<String> DATES = List.of("yesterday", "2025-13-45T99:99:99.000+0000", "2025-06-11",
			"0000-00-00T00:00:00", "9999-12-31T23:59:59.999+9999", "", "1", "2025-06-11T10:00:00Z", "null");

	private static final List<String> SORT_KEYS = List.of("startTime", "unknown", "", "id_; drop table act_ru_task",
			"incidentTimestamp", "PROC_INST_ID_", "name", "x".repeat(300));

	private static final List<String> SORT_ORDERS = List.of("asc", "desc", "sideways", "", "ASC; --");

	private static final List<String> METRICS = List.of("process-instances", "decision-instances", "task-users",
			"flow-node-instances", "executed-jobs", "unknown", "", "'--");

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Autowired
	JdbcClient jdbc;

	private Random random;

	private final Map<String, List<String>> failures = new LinkedHashMap<>();

	private int sent;

	@BeforeEach
	void seed() {
		this.random = new Random(SEED);
	}

	@Test
	void badRequestsToTheWebappsOwnApisAreRefusedAndChangeNothing() {
		People people = new People(this.identity);
		Map<String, String> users = new LinkedHashMap<>();
		users.put("rep", people.member("reps"));
		users.put("manager", people.member("managers"));
		// "camunda-admin" makes no valid user id of its own
		users.put("admin", people.member("designers"));
		this.identity.createMembership(users.get("admin"), Groups.CAMUNDA_ADMIN);
		Map<String, WebappSession> signedIn = new LinkedHashMap<>();
		signedIn.put("rep", session(users.get("rep"), "tasklist"));
		signedIn.put("manager", session(users.get("manager"), "cockpit"));
		signedIn.put("admin", session(users.get("admin"), "admin"));
		StoredState before = StoredState.of(this.jdbc);

		signedIn.forEach((who, session) -> {
			batch(who, session, 120, this::cockpitQuery);
			batch(who, session, 40, this::adminRequest);
			batch(who, session, 60, this::tasklistRead);
			batch(who, session, 40, () -> welcomeRequest(users.get(who), users.get("rep")));
		});

		assertThat(before.changesTo(StoredState.of(this.jdbc))).as("what the refused requests changed").isEmpty();
		StringBuilder report = new StringBuilder();
		this.failures.forEach((kind, examples) -> {
			report.append(String.format("%n%5d x %s%n", examples.size(), kind));
			examples.stream().limit(3).forEach((example) -> report.append("        ").append(example).append('\n'));
		});
		assertThat(this.failures).as("server errors (seed %d) of %d requests:%s", SEED, this.sent, report).isEmpty();
	}

	// what each batch sends: a method, a path and a JSON body (null: none)

	private Request cockpitQuery() {
		String resource = pick(List.of("process-instance", "incident", "process-definition"));
		return switch (this.random.nextInt(8)) {
			case 0, 1 -> new Request("GET", COCKPIT + resource
					+ (resource.equals("process-definition") ? "/statistics" : "") + query(queryParameters(resource)),
					null);
			case 2 -> new Request("GET", COCKPIT + resource
					+ (resource.equals("process-definition") ? "/statistics-count" : "/count")
					+ query(queryParameters(resource)), null);
			case 3, 4 -> new Request("POST", COCKPIT + pick(List.of("process-instance", "incident"))
					+ pick(List.of("", "/count")) + query(paging()), body());
			case 5 -> new Request(pick(List.of("GET", "POST")), COCKPIT
					+ pick(List.of("process-instance/", "process-definition/")) + encoded(pick(IDS))
					+ pick(List.of("/called-process-instances", "/called-process-definitions")), body());
			case 6 -> new Request("GET", "/camunda/api/" + pick(List.of("cockpit/plugin/cockpitPlugins",
					"tasklist/plugin/tasklistPlugins", "admin/plugin/adminPlugins")) + "/static/"
					+ pick(List.of("app/plugin.js", "../../../application.yaml", "%2e%2e/%2e%2e/x", "x".repeat(3000),
							"app/plugin.css", "")), null);
			default -> new Request("GET", "/camunda/api/cockpit/plugin/base/" + encoded(pick(IDS)) + "/incident"
					+ query(paging()), null);
		};
	}

	private Request adminRequest() {
		return switch (this.random.nextInt(4)) {
			case 0, 1 -> {
				Map<String, String> parameters = new LinkedHashMap<>();
				maybe(parameters, "subscriptionStartDate", pick(DATES));
				maybe(parameters, "startDate", pick(DATES));
				maybe(parameters, "endDate", pick(DATES));
				maybe(parameters, "groupBy", pick(List.of("month", "year", "day", "", "week;--")));
				maybe(parameters, "metrics", pick(METRICS) + (this.random.nextBoolean() ? "," + pick(METRICS) : ""));
				yield new Request("GET", ADMIN + "plugin/adminPlugins/" + encoded(pick(List.of("default", "nope")))
						+ "/metrics/aggregated" + query(parameters), null);
			}
			case 2 -> new Request("GET", ADMIN + "auth/user/" + encoded(pick(IDS)), null);
			default -> new Request("POST", ADMIN + "setup/default/user/create", body());
		};
	}

	private Request tasklistRead() {
		return switch (this.random.nextInt(5)) {
			case 0 -> new Request("GET", ENGINE + "task/" + encoded(pick(IDS)) + pick(List.of("/form",
					"/form-variables", "/deployed-form", "/rendered-form", "/variables", "/identity-links")), null);
			case 1 -> new Request("GET", ENGINE + "task" + query(taskQuery()), null);
			case 2 -> new Request("POST", ENGINE + "task" + query(paging()), body());
			case 3 -> new Request("POST", ENGINE + "filter/" + encoded(pick(IDS)) + pick(List.of("/list", "/count"))
					+ query(paging()), body());
			default -> new Request("GET", ENGINE + "process-definition/key/" + encoded(pick(IDS))
					+ pick(List.of("/startForm", "/deployed-start-form", "/form-variables")), null);
		};
	}

	/**
	 * What the Welcome page sends: its plugins' assets, and a change of the signed-in user's own
	 * profile or password (or another's). Every change here is bad in some way, so none may be stored.
	 */
	private Request welcomeRequest(String self, String rep) {
		String user = encoded(pick(List.of(self, self, rep, pick(IDS))));
		return switch (this.random.nextInt(3)) {
			case 0 -> new Request("GET", "/camunda/api/welcome/plugin/welcomePlugins/static/"
					+ pick(List.of("app/plugin.js", "../../../application.yaml", "%2e%2e/x", "x".repeat(3000), "")),
					null);
			case 1 -> new Request("PUT", ENGINE + "user/" + user + "/profile", badProfile(self));
			default -> new Request("PUT", ENGINE + "user/" + user + "/credentials", json(Map.of("password",
					pick(List.of("", "x", "correct horse battery staple")), "authenticatedUserPassword",
					pick(List.of("wrong", "", "x".repeat(300))))));
		};
	}

	/** A profile no user may store: malformed, of the wrong types, too long, or another user's id. */
	private String badProfile(String self) {
		Map<String, Object> profile = new LinkedHashMap<>();
		profile.put("id", self);
		profile.put("firstName", "Ana");
		profile.put("lastName", "Silva");
		profile.put("email", "ana@example.com");
		switch (this.random.nextInt(4)) {
			case 0 -> {
				return pick(List.of("{", "{\"id\":", "not json", "\u0000", "[]"));
			}
			case 1 -> profile.put(pick(List.of("firstName", "lastName", "email")),
					pick(List.of(Map.of("a", 1), List.of("x"), List.of())));
			case 2 -> profile.put(pick(List.of("firstName", "lastName", "email")),
					pick(List.of("x".repeat(300), "y".repeat(5_000))));
			default -> profile.put("id", pick(IDS));
		}
		return json(profile);
	}

	private Map<String, String> queryParameters(String resource) {
		Map<String, String> parameters = paging();
		maybe(parameters, "sortBy", pick(SORT_KEYS));
		maybe(parameters, "sortOrder", pick(SORT_ORDERS));
		if (resource.equals("process-instance")) {
			maybe(parameters, "processDefinitionId", pick(IDS));
			maybe(parameters, "startedBefore", pick(DATES));
			maybe(parameters, "startedAfter", pick(DATES));
			maybe(parameters, "withIncident", pick(List.of("true", "maybe", "")));
			maybe(parameters, "activityIdIn", pick(IDS) + "," + pick(IDS));
			maybe(parameters, "variables", pick(List.of("score_gt_5", "x_eq_", "_", "a_like_%", "name_bogus_1")));
		}
		else if (resource.equals("incident")) {
			maybe(parameters, "processDefinitionIdIn", pick(IDS));
			maybe(parameters, "processInstanceIdIn", pick(IDS));
		}
		else {
			maybe(parameters, "keyLike", pick(IDS));
			maybe(parameters, "nameLike", pick(IDS));
		}
		return parameters;
	}

	private Map<String, String> taskQuery() {
		Map<String, String> parameters = paging();
		maybe(parameters, "sortBy", pick(SORT_KEYS));
		maybe(parameters, "sortOrder", pick(SORT_ORDERS));
		maybe(parameters, "dueBefore", pick(DATES));
		maybe(parameters, "candidateGroup", pick(IDS));
		maybe(parameters, "processVariables", pick(List.of("score_gt_5", "x_eq_", "_", "a_like_%", "name_bogus_1")));
		return parameters;
	}

	private Map<String, String> paging() {
		Map<String, String> parameters = new LinkedHashMap<>();
		maybe(parameters, "firstResult", String.valueOf(pick(NUMBERS)));
		maybe(parameters, "maxResults", String.valueOf(pick(NUMBERS)));
		return parameters;
	}

	/** A query body: malformed, of the wrong types, with unknown sort keys, bad dates, long strings. */
	private String body() {
		Map<String, Object> query = new LinkedHashMap<>();
		switch (this.random.nextInt(9)) {
			case 0 -> {
				return pick(List.of("{", "{\"sorting\":", "[1,2", "not json", "{\"a\":1}}", "\u0000", "{'x':1}"));
			}
			case 1 -> query.put(pick(List.of("processDefinitionId", "businessKey", "activityIdIn",
					"processDefinitionIdIn", "withIncident", "variables", "sorting", "startedBefore")),
					pick(List.of(Map.of("a", 1), List.of(Map.of()), 12, true, "text", List.of(1, 2))));
			case 2 -> query.put("sorting", List.of(Map.of("sortBy", pick(SORT_KEYS), "sortOrder", pick(SORT_ORDERS))));
			case 3 -> {
				query.put("sortBy", pick(SORT_KEYS));
				query.put("sortOrder", pick(SORT_ORDERS));
			}
			case 4 -> query.put(pick(List.of("startedBefore", "startedAfter", "dueBefore", "createdAfter")),
					pick(DATES));
			case 5 -> query.put(pick(List.of("processDefinitionId", "businessKey", "processInstanceIdIn",
					"activityIdIn", "processDefinitionIdIn", "name", "id")),
					pick(List.of("x".repeat(300), "y".repeat(5_000), List.of("z".repeat(70_000)))));
			case 6 -> query.put("variables", List.of(pick(List.of(Map.of("name", "x", "operator", "bogus", "value", 1),
					Map.of("name", "x", "operator", "like", "value", Map.of()), Map.of("operator", "eq"),
					Map.of("name", "x", "operator", "gt", "value", "text")))));
			case 7 -> {
				query.put("firstResult", pick(NUMBERS));
				query.put("maxResults", pick(NUMBERS));
			}
			default -> {
				// the setup's user, as the Admin's first page sends it: refused whatever it says
				query.put("profile", Map.of("id", pick(IDS), "firstName", "x".repeat(300)));
				query.put("credentials", Map.of("password", pick(List.of("", "x", List.of()))));
			}
		}
		return json(query);
	}

	private static String json(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// sending and judging

	private void batch(String who, WebappSession session, int count, Supplier<Request> requests) {
		for (int i = 0; i < count; i++) {
			Request request = requests.get();
			HttpResponse<String> answer = request.method().equals("GET") ? session.get(request.path())
					: session.send(request.method(), request.path(), request.body());
			this.sent++;
			if (answer.statusCode() >= 500) {
				String endpoint = request.path().replaceAll("\\?.*", "").replaceAll("/static/.*", "/static/…");
				this.failures.computeIfAbsent(who + " " + request.method() + " " + abbreviate(endpoint, 120) + " -> "
						+ answer.statusCode(), (k) -> new ArrayList<>())
					.add(abbreviate(request.path(), 200) + " " + abbreviate(String.valueOf(request.body()), 120) + " -> "
							+ abbreviate(answer.body(), 300));
			}
		}
	}

	private WebappSession session(String user, String app) {
		WebappSession session = new WebappSession(this.port);
		assertThat(session.login(user, People.PASSWORD, app)).isEqualTo(200);
		return session;
	}

	private void maybe(Map<String, String> parameters, String name, String value) {
		if (this.random.nextInt(3) > 0) {
			parameters.put(name, value);
		}
	}

	private static String query(Map<String, String> parameters) {
		StringBuilder query = new StringBuilder();
		parameters.forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&")
			.append(name)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return query.toString();
	}

	private static String encoded(String segment) {
		return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private <T> T pick(List<T> options) {
		return options.get(this.random.nextInt(options.size()));
	}

	private static String abbreviate(String text, int length) {
		return (text.length() <= length) ? text : text.substring(0, length) + "…";
	}

	private record Request(String method, String path, String body) {
	}

}
