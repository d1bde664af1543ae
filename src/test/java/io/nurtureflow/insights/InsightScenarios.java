package io.nurtureflow.insights;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.People;
import io.nurtureflow.support.WebappSession;
import io.nurtureflow.touch.TouchLedger;
import io.nurtureflow.touch.TouchStatus;
import io.nurtureflow.tracking.TrackingLinks;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The insight reports on a known data set, read through the API a manager's pages use; run on
 * H2 and on PostgreSQL by the subclasses. Each run creates its leads on a day of its own, so the
 * period holds nothing else.
 */
abstract class InsightScenarios {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Below the MQL threshold until it submits a form again ({@code LeadNurtureProcessTest}). */
	private static final String MIDDLING_FIT = """
			"industry":"retail","companySize":"11-50","title":"Store Manager","country":"FR\"""";

	@LocalServerPort
	int port;

	@Autowired
	RuntimeService runtime;

	@Autowired
	ManagementService management;

	@Autowired
	TaskService tasks;

	@Autowired
	HistoryService history;

	@Autowired
	IdentityService identity;

	@Autowired
	TrackingLinks links;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TouchLedger ledger;

	Api api;

	JourneyDriver driver;

	Instant day;

	@BeforeEach
	void knownDay() {
		this.api = new Api(this.port);
		this.driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		// a day no other test uses: a random Monday in 2050-2099, 10:00 UTC
		this.day = Instant.parse("2050-01-03T10:00:00Z").plus(Duration.ofDays(7L * (long) (Math.random() * 2500)));
		JourneyDriver.startClockAt(this.day);
	}

	@AfterEach
	void realTime() {
		JourneyDriver.resetClock();
	}

	@Test
	void theReportsCountTheKnownLeads() throws Exception {
		List<UUID> known = knownLeads();
		UUID clickingSoftware = known.get(1);
		WebappSession manager = manager();

		JsonNode funnel = get(manager, "/insights/api/funnel" + period());
		assertThat(stages(funnel)).containsEntry("new", 4L)
			.containsEntry("contacted", 3L)
			.containsEntry("engaged", 2L)
			.containsEntry("mql", 1L)
			.containsEntry("customer", 1L)
			.containsEntry("disqualified", 0L);

		JsonNode speed = get(manager, "/insights/api/speed-to-lead" + period());
		assertThat(speed.get("firstTouch").get("count").asLong()).isEqualTo(3);
		assertThat(speed.get("firstTouch").get("within5Minutes").asDouble()).isEqualTo(1.0);
		assertThat(speed.get("firstRepContact").get("count").asLong()).isEqualTo(1);
		assertThat(speed.get("firstRepContact").get("medianSeconds").asDouble()).isEqualTo(180.0);
		assertThat(speed.get("byHour").get(10).get("leads").asLong()).isEqualTo(4);

		JsonNode converts = get(manager, "/insights/api/who-converts" + period() + "&by=industry");
		assertThat(converts.get(0).get("group").asText()).isEqualTo("software");
		assertThat(converts.get(0).get("leads").asLong()).isEqualTo(2);
		assertThat(converts.get(0).get("rate").asDouble()).isEqualTo(0.5);
		assertThat(converts.findValuesAsText("group")).containsExactly("software", "(unknown)", "retail");

		JsonNode channels = get(manager, "/insights/api/channels" + period());
		JsonNode acknowledgement = row(channels, "EMAIL", "acknowledgement");
		assertThat(acknowledgement.get("sent").asLong()).isEqualTo(3);
		assertThat(acknowledgement.get("clicked").asLong()).isEqualTo(1);
		assertThat(acknowledgement.get("opened").asLong()).isEqualTo(1);
		assertThat(row(channels, "SMS", "acknowledgement").get("sent").asLong()).isZero();

		JsonNode timeline = get(manager, "/insights/api/leads/" + clickingSoftware + "/timeline");
		assertThat(timeline.get("entries").findValuesAsText("kind")).contains("captured", "touch", "engagement", "task");
		assertThat(timeline.get("entries").findValuesAsText("why")).contains("no SMS consent");
		assertThat(timeline.get("entries").findValuesAsText("link").get(0)).startsWith("/camunda/app/cockpit/default/#/process-instance/");

		JsonNode steps = get(manager, "/insights/api/journey-steps");
		assertThat(steps.findValuesAsText("step")).contains("Task_CallNewLead");

		var csv = manager.get("/insights/api/who-converts.csv" + period() + "&by=industry");
		assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
		assertThat(csv.body().lines().toList()).startsWith("group,leads,converted,rate,medianDaysToConvert")
			.contains("software,2,1,0.5,0.0");
	}

	@Test
	void milestonesOfWhatWasStoredBeforeThemAreFilledInAsTheyWouldHaveBeenKept() {
		List<UUID> known = knownLeads();
		WebappSession manager = manager();
		List<String> reports = List.of("/insights/api/funnel" + period(), "/insights/api/speed-to-lead" + period(),
				"/insights/api/who-converts" + period() + "&by=industry", "/insights/api/channels" + period());
		List<JsonNode> kept = reports.stream().map((report) -> get(manager, report)).toList();
		String leads = String.join(", ", known.stream().map((id) -> "'" + id + "'").toList());
		this.jdbc.sql("update lead set first_reached_at = null, engaged_at = null, converted_at = null,"
				+ " first_call_at = null where id in (" + leads + ")").update();
		this.jdbc.sql("update touch set opened = false, clicked = false, replied = false, unsubscribed = false"
				+ " where lead_id in (" + leads + ")").update();
		assertThat(stages(get(manager, reports.get(0)))).as("the reports read the milestones")
			.containsEntry("contacted", 0L)
			.containsEntry("engaged", 0L);
		assertThat(row(get(manager, reports.get(3)), "EMAIL", "acknowledgement").get("clicked").asLong()).isZero();

		new ResourceDatabasePopulator(new ClassPathResource("db/migration/V10__lead_milestones_backfill.sql"))
			.execute(this.dataSource);

		for (int i = 0; i < reports.size(); i++) {
			assertThat(get(manager, reports.get(i))).as(reports.get(i)).isEqualTo(kept.get(i));
		}
	}

	@Test
	void aBouncedTouchNoLongerCountsAsContactUntilItIsReportedDelivered() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		WebappSession manager = manager();
		assertThat(stages(get(manager, "/insights/api/funnel" + period()))).containsEntry("contacted", 1L);
		String providerId = "bounce-" + UUID.randomUUID();
		this.jdbc.sql("update touch set status = 'SENT', provider_id = ? where lead_id = ?").params(providerId, lead).update();

		this.ledger.reportDelivery(providerId, TouchStatus.FAILED, "mailbox unknown", this.day);
		assertThat(stages(get(manager, "/insights/api/funnel" + period()))).containsEntry("contacted", 0L);
		assertThat(get(manager, "/insights/api/speed-to-lead" + period()).get("firstTouch").get("count").asLong()).isZero();

		this.ledger.reportDelivery(providerId, TouchStatus.DELIVERED, null, this.day);
		assertThat(stages(get(manager, "/insights/api/funnel" + period()))).containsEntry("contacted", 1L);
	}

	@Test
	void missedCallSlasAndJourneyStepsCountWhatTheJourneysDid() {
		WebappSession manager = manager();
		JsonNode before = get(manager, "/insights/api/journey-steps");
		UUID late = lead("\"consent\":{\"email\":true}");
		UUID called = lead("\"consent\":{\"email\":true}");
		UUID retriedLate = lead("\"consent\":{\"email\":true}");
		List.of(late, called, retriedLate).forEach(this.driver::settle);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofMinutes(3)));
		this.driver.complete(called, "Task_CallNewLead", Map.of("callOutcome", "no_answer"));
		this.driver.complete(retriedLate, "Task_CallNewLead", Map.of("callOutcome", "no_answer"));
		this.driver.advance(late, Duration.ofMinutes(10));
		// the retry comes the next day and is not worked within the SLA either: it has no SLA timer,
		// and is no miss of speed to lead
		this.driver.advance(retriedLate, Duration.ofDays(1));
		this.driver.advance(retriedLate, Duration.ofMinutes(10));
		assertThat(this.driver.passed(this.driver.journey(retriedLate, "lead-nurture"), "Timer_CallSla")).isFalse();

		for (String period : List.of(period(), period(6))) {
			JsonNode speed = get(manager, "/insights/api/speed-to-lead" + period);
			assertThat(speed.get("slaMisses")).as(period).hasSize(1);
			assertThat(speed.get("slaMisses").get(0).get("group").asText()).isEqualTo("reps");
			assertThat(speed.get("slaMisses").get(0).get("misses").asLong()).as(period).isEqualTo(1);
		}

		JsonNode after = get(manager, "/insights/api/journey-steps");
		assertThat(step(after, "Task_CallNewLead", "waitingNow") - step(before, "Task_CallNewLead", "waitingNow"))
			.as("the late lead's first call is still open").isEqualTo(1);
		assertThat(step(after, "Task_CallLeadAgain", "waitingNow") - step(before, "Task_CallLeadAgain", "waitingNow"))
			.as("the late retry is still open").isEqualTo(1);
		assertThat(step(after, "Task_EscalateMissedSla", "waitingNow")
				- step(before, "Task_EscalateMissedSla", "waitingNow")).isEqualTo(1);
		assertThat(step(after, "EndEvent_Acknowledged", "leftHere") - step(before, "EndEvent_Acknowledged", "leftHere"))
			.isEqualTo(3);
		assertThat(row(after, "EndEvent_Acknowledged").get("type").asText()).isEqualTo("noneEndEvent");
		assertThat(row(after, "Task_CallNewLead").get("name").asText()).isEqualTo("Call new lead");
		assertThat(row(after, "Task_CallLeadAgain").get("name").asText()).isEqualTo("Call lead again");
	}

	/**
	 * Two software leads become customers; a year on, one tells customer success on the renewal
	 * call that it is not renewing. The funnel counts it as churned, and still at every step it
	 * reached on the way (MQL, SQL, customer), as who converts still counts both conversions.
	 */
	@Test
	void aChurnedCustomerStillCountsAtEveryStepItReached() {
		UUID staying = lead("\"industry\":\"software\",\"consent\":{\"email\":true}");
		UUID leaving = lead("\"industry\":\"software\",\"consent\":{\"email\":true}");
		for (UUID lead : List.of(staying, leaving)) {
			assertThat(this.api.postJson("/api/leads/" + lead + "/engagements", "{\"type\":\"CONVERTED\"}").status())
				.isEqualTo(201);
			this.driver.settle(lead);
		}
		renewalCall(leaving, "not_renewing");
		WebappSession manager = manager();

		JsonNode funnel = get(manager, "/insights/api/funnel" + period());
		assertThat(stages(funnel)).containsEntry("new", 2L)
			.containsEntry("mql", 2L)
			.containsEntry("sql", 2L)
			.containsEntry("customer", 2L)
			.containsEntry("churned", 1L)
			.containsEntry("unsubscribed", 0L)
			.containsEntry("disqualified", 0L);
		assertThat(stages(funnel).keySet()).containsExactly("new", "contacted", "engaged", "mql", "sql", "customer",
				"churned", "unsubscribed", "disqualified");
		assertThat(manager.get("/insights/api/funnel.csv" + period()).body().lines().toList())
			.contains("customer,2,1.0", "churned,1,0.5");
		JsonNode converts = get(manager, "/insights/api/who-converts" + period() + "&by=industry");
		assertThat(converts.get(0).get("converted").asLong()).isEqualTo(2);
		assertThat(get(manager, "/insights/api/leads/" + leaving + "/timeline").get("stage").asText())
			.isEqualTo("CHURNED");
		assertThat(stageReached(leaving, "customer_at")).as("became a customer when it converted, not when it left")
			.isEqualTo(this.day)
			.isBefore(stageReached(leaving, "churned_at"));
	}

	/** A rep qualifies a lead after a call; sales disqualify it later. It was an MQL and an SQL all the same. */
	@Test
	void aDisqualifiedSqlStillCountsAsAnMqlAndAnSql() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		salesQualified(lead);
		disqualify(lead);

		Map<String, Long> funnel = stages(get(manager(), "/insights/api/funnel" + period()));

		assertThat(funnel).containsEntry("new", 1L)
			.containsEntry("mql", 1L)
			.containsEntry("sql", 1L)
			.containsEntry("customer", 0L)
			.containsEntry("disqualified", 1L);
	}

	/**
	 * Sales disqualify a lead; it fills in a form again and is a new lead, whom the rep calls and
	 * finds not interested. It counts as disqualified throughout, once, from the first time.
	 */
	@Test
	void aDisqualifiedLeadThatComesBackStillCountsAsDisqualified() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(1)));
		disqualify(lead);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(2)));
		submittedAgain(lead);
		assertThat(stage(lead)).isEqualTo("NEW");
		WebappSession manager = manager();

		assertThat(stages(get(manager, "/insights/api/funnel" + period()))).containsEntry("new", 1L)
			.containsEntry("disqualified", 1L);

		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(3)));
		this.driver.complete(lead, "Task_CallNewLead", Map.of("callOutcome", "not_interested", "callNotes", ""));
		assertThat(stage(lead)).isEqualTo("DISQUALIFIED");
		assertThat(stages(get(manager, "/insights/api/funnel" + period()))).containsEntry("new", 1L)
			.containsEntry("disqualified", 1L);
		assertThat(stageReached(lead, "disqualified_at")).isEqualTo(this.day.plus(Duration.ofHours(1)));
	}

	/**
	 * A lead the cadence hands to a rep as an MQL unsubscribes, then asks to be contacted through a
	 * form and starts again at NEW. It counts as an MQL throughout.
	 */
	@Test
	void anUnsubscribedMqlStillCountsAsAnMqlEvenOnceItStartsAgain() {
		UUID lead = marketingQualified();
		unsubscribe(lead);
		WebappSession manager = manager();
		assertThat(stages(get(manager, "/insights/api/funnel" + period()))).containsEntry("mql", 1L)
			.containsEntry("sql", 0L)
			.containsEntry("unsubscribed", 1L);

		submittedAgain(lead);

		assertThat(this.jdbc.sql("select stage from lead where id = ?").param(lead).query(String.class).single())
			.isEqualTo("NEW");
		assertThat(stages(get(manager, "/insights/api/funnel" + period()))).containsEntry("new", 1L)
			.containsEntry("mql", 1L)
			.containsEntry("unsubscribed", 0L);
	}

	/**
	 * Leads that reached stages before their milestones were kept: the upgrade's backfill fills
	 * them in from the stage a lead is at and from its journeys' history, so the funnel counts
	 * them as it counts leads since.
	 */
	@Test
	void stagesReachedBeforeTheirMilestonesWereKeptAreFilledInFromStageAndHistory() {
		UUID customer = lead("\"consent\":{\"email\":true}");
		assertThat(this.api.postJson("/api/leads/" + customer + "/engagements", "{\"type\":\"CONVERTED\"}").status())
			.isEqualTo(201);
		this.driver.settle(customer);
		churn(customer);
		UUID disqualifiedSql = lead("\"consent\":{\"email\":true}");
		this.driver.settle(disqualifiedSql);
		salesQualified(disqualifiedSql);
		disqualify(disqualifiedSql);
		UUID unsubscribedMql = marketingQualified();
		unsubscribe(unsubscribedMql);
		WebappSession manager = manager();
		String funnel = "/insights/api/funnel" + period();
		JsonNode kept = get(manager, funnel);
		assertThat(stages(kept)).containsEntry("mql", 3L).containsEntry("sql", 2L).containsEntry("customer", 1L);
		String leads = String.join(", ", List.of(customer, disqualifiedSql, unsubscribedMql)
			.stream()
			.map((id) -> "'" + id + "'")
			.toList());
		this.jdbc.sql("update lead set mql_at = null, sql_at = null, customer_at = null where id in (" + leads + ")")
			.update();
		assertThat(stages(get(manager, funnel))).as("the funnel reads the milestones")
			.containsEntry("mql", 0L)
			.containsEntry("customer", 0L);

		// V27 builds the funnel's index on PostgreSQL without the time a lead was disqualified: V29 after it
		new ResourceDatabasePopulator(new ClassPathResource(vendorMigration("V27__lead_stages_reached.sql")),
				new ClassPathResource(vendorMigration("V29__lead_disqualified_at.sql")))
			.execute(this.dataSource);

		assertThat(get(manager, funnel)).isEqualTo(kept);
	}

	/**
	 * Leads disqualified before the time was kept: one sales disqualified, and one a rep found not
	 * interested that came back since. The upgrade's backfill finds the first by its stage and the
	 * second by its journey's history, each at the time its journey disqualified it.
	 */
	@Test
	void leadsDisqualifiedBeforeTheTimeWasKeptAreFilledInFromStageAndHistory() {
		UUID disqualified = lead("\"consent\":{\"email\":true}");
		UUID cameBack = lead("\"consent\":{\"email\":true}");
		this.driver.settle(disqualified);
		this.driver.settle(cameBack);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(1)));
		disqualify(disqualified);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(2)));
		this.driver.complete(cameBack, "Task_CallNewLead", Map.of("callOutcome", "not_interested", "callNotes", ""));
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(3)));
		submittedAgain(cameBack);
		WebappSession manager = manager();
		String funnel = "/insights/api/funnel" + period();
		JsonNode kept = get(manager, funnel);
		assertThat(stages(kept)).containsEntry("disqualified", 2L);
		this.jdbc.sql("update lead set disqualified_at = null where id in (?, ?)").params(disqualified, cameBack).update();
		assertThat(stages(get(manager, funnel))).as("the funnel reads the milestone").containsEntry("disqualified", 0L);

		new ResourceDatabasePopulator(new ClassPathResource(vendorMigration("V29__lead_disqualified_at.sql")))
			.execute(this.dataSource);

		assertThat(get(manager, funnel)).isEqualTo(kept);
		assertThat(stageReached(disqualified, "disqualified_at")).isEqualTo(this.day.plus(Duration.ofHours(1)));
		assertThat(stageReached(cameBack, "disqualified_at")).isEqualTo(this.day.plus(Duration.ofHours(2)));
	}

	/**
	 * A customer who left and fills in a form again is a lead again in the reports as in the API:
	 * its timeline shows it at stage NEW and keeps its conversion before the form, and who converts
	 * still counts that conversion.
	 */
	@Test
	void aChurnedCustomerWhoComesBackIsALeadAgainWhoseConversionStaysOnRecord() {
		UUID lead = lead("\"industry\":\"software\",\"consent\":{\"email\":true}");
		assertThat(this.api.postJson("/api/leads/" + lead + "/engagements", "{\"type\":\"CONVERTED\"}").status())
			.isEqualTo(201);
		this.driver.settle(lead);
		assertThat(this.api.send(this.api.request("/api/leads/" + lead + "/churn?reason=budget+cut")
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
		String email = this.api.get("/api/leads/" + lead).json().get("email").asText();

		assertThat(this.api.postJson("/api/leads", "{\"email\":\"" + email + "\"}").status()).isEqualTo(200);

		WebappSession manager = manager();
		JsonNode timeline = get(manager, "/insights/api/leads/" + lead + "/timeline");
		assertThat(timeline.get("stage").asText()).isEqualTo("NEW");
		List<String> engagement = new ArrayList<>();
		timeline.get("entries").forEach((entry) -> {
			if (entry.get("kind").asText().equals("engagement")) {
				engagement.add(entry.get("what").asText());
			}
		});
		assertThat(engagement).containsExactly("CONVERTED", "RECONVERSION");
		JsonNode converts = get(manager, "/insights/api/who-converts" + period() + "&by=industry");
		assertThat(converts.get(0).get("converted").asLong()).isOne();
	}

	/**
	 * A lead of middling fit becomes an MQL when it submits a form again, an SQL when the rep who
	 * follows it up qualifies it, and a customer when it converts; months into its contract
	 * customer success records that it left, with why. Weeks later it fills in a form again. Its
	 * timeline tells each stage and each journey, with the reason, and that it came back.
	 */
	@Test
	void aLeadsTimelineTellsTheStagesItReachedAndHowEachOfItsJourneysEnded() {
		UUID lead = lead(MIDDLING_FIT + ",\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		this.driver.complete(lead, "Task_CallNewLead", Map.of("callOutcome", "meeting_booked", "callNotes", ""));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", false));
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(1)));
		submittedAgain(lead);
		assertThat(stage(lead)).isEqualTo("MQL");
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(2)));
		this.driver.complete(lead, "Task_FollowUpHotLead", Map.of("callOutcome", "meeting_booked", "callNotes", ""));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", true));
		assertThat(stage(lead)).isEqualTo("SQL");
		JourneyDriver.startClockAt(this.day.plus(Duration.ofDays(1)));
		assertThat(this.api.postJson("/api/leads/" + lead + "/engagements", "{\"type\":\"CONVERTED\"}").status())
			.isEqualTo(201);
		this.driver.settle(lead);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofDays(40)));
		churn(lead, "budget cut <after> the merger");
		JourneyDriver.startClockAt(this.day.plus(Duration.ofDays(60)));
		submittedAgain(lead);

		JsonNode timeline = get(manager(), "/insights/api/leads/" + lead + "/timeline");

		assertThat(timeline.get("stage").asText()).isEqualTo("NEW");
		assertThat(told(timeline, "stage", "journey")).containsExactly(
				"+0h journey lead-nurture started | ended | -",
				"+1h stage Became an MQL | - | -",
				"+2h stage Became an SQL | - | -",
				"+2h journey lead-nurture ended | Sales-qualified hand-off | -",
				"+24h stage Became a customer | - | -",
				"+24h journey customer-nurture started | ended | -",
				"+960h stage Churned | - | -",
				"+960h journey customer-nurture ended | Churned mid-contract | budget cut <after> the merger",
				"+1440h journey lead-nurture started again: the lead came back | running | -");
		List<String> journeys = this.driver.journeys(lead);
		assertThat(links(timeline, "journey")).containsExactly(cockpit(journeys.get(0)), cockpit(journeys.get(0)),
				cockpit(journeys.get(1)), cockpit(journeys.get(1)), cockpit(journeys.get(2)));
		assertThat(told(timeline, "engagement")).containsExactly("+1h engagement RECONVERSION | api | -",
				"+24h engagement CONVERTED | - | -", "+1440h engagement RECONVERSION | api | -");
	}

	/** Sales disqualify a lead, saying why; it submits a form again later and is a new lead with a new journey. */
	@Test
	void aDisqualifiedLeadsTimelineShowsWhyAndThatItCameBack() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofHours(3)));
		disqualify(lead, "bought from a competitor & won't switch");
		JourneyDriver.startClockAt(this.day.plus(Duration.ofDays(2)));
		submittedAgain(lead);

		JsonNode timeline = get(manager(), "/insights/api/leads/" + lead + "/timeline");

		assertThat(timeline.get("stage").asText()).isEqualTo("NEW");
		assertThat(told(timeline, "stage", "journey")).containsExactly(
				"+0h journey lead-nurture started | ended | -",
				"+3h stage Disqualified | - | -",
				"+3h journey lead-nurture ended | Disqualified | bought from a competitor & won't switch",
				"+48h journey lead-nurture started again: the lead came back | running | -");
	}

	/** A manager cancels a journey in Cockpit, giving a reason: the timeline says so, and why. */
	@Test
	void aJourneyCancelledInCockpitShowsOnTheTimelineWithItsReason() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		String journey = this.driver.journey(lead, LeadNurture.PROCESS_KEY);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofMinutes(30)));
		this.runtime.deleteProcessInstance(journey, "duplicate of a lead already in the CRM");

		JsonNode timeline = get(manager(), "/insights/api/leads/" + lead + "/timeline");

		assertThat(told(timeline, "journey")).containsExactly("+0h journey lead-nurture started | cancelled | -",
				"+0h journey lead-nurture cancelled | - | duplicate of a lead already in the CRM");
		assertThat(links(timeline, "journey")).containsOnly(cockpit(journey));
	}

	/**
	 * Erasing a lead leaves nothing of what its timeline read: the lead and its records go, and the
	 * journeys' history keeps no reason a rep, the CRM or a manager gave (the steps stay, as ids
	 * and times).
	 */
	@Test
	void erasingALeadLeavesNoReasonItsTimelineShowedInTheJourneysHistory() {
		UUID lead = lead("\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		this.runtime.deleteProcessInstance(this.driver.journey(lead, LeadNurture.PROCESS_KEY),
				"cancelled: she asked us to call her husband instead");
		submittedAgain(lead);
		disqualify(lead, "private: moving abroad");
		submittedAgain(lead);
		assertThat(this.api.postJson("/api/leads/" + lead + "/engagements", "{\"type\":\"CONVERTED\"}").status())
			.isEqualTo(201);
		this.driver.settle(lead);
		churn(lead, "private: health reasons");
		assertThat(told(get(manager(), "/insights/api/leads/" + lead + "/timeline"), "journey"))
			.anySatisfy((entry) -> assertThat(entry).endsWith("cancelled: she asked us to call her husband instead"))
			.anySatisfy((entry) -> assertThat(entry).endsWith("private: moving abroad"))
			.anySatisfy((entry) -> assertThat(entry).endsWith("private: health reasons"));

		assertThat(this.api.send(this.api.request("/api/leads/" + lead).DELETE()).status()).isEqualTo(204);

		assertThat(get(manager(), "/insights/api/leads/" + lead + "/timeline", 404)).isNotNull();
		List<String> kept = new ArrayList<>();
		kept.addAll(this.jdbc.sql("select DELETE_REASON_ from ACT_HI_PROCINST where BUSINESS_KEY_ = ?")
			.param(lead.toString())
			.query(String.class)
			.list());
		kept.addAll(this.jdbc.sql("""
				select k.DELETE_REASON_ from ACT_HI_TASKINST k join ACT_HI_PROCINST p on p.ID_ = k.PROC_INST_ID_
				where p.BUSINESS_KEY_ = ?""").param(lead.toString()).query(String.class).list());
		kept.addAll(this.jdbc.sql("""
				select v.TEXT_ from ACT_HI_VARINST v join ACT_HI_PROCINST p on p.ID_ = v.PROC_INST_ID_
				where p.BUSINESS_KEY_ = ?""").param(lead.toString()).query(String.class).list());
		assertThat(this.driver.journeys(lead)).hasSize(4);
		assertThat(kept).noneSatisfy((value) -> assertThat(value).containsAnyOf("husband", "private"));
	}

	/** Why a lead that had unsubscribed got an email, and how its email consent came back. */
	@Test
	void aLeadsTimelineShowsTheEmailAskingItToConfirmAndTheConsentItGaveBack() {
		String form = "{\"email\":\"timeline-" + UUID.randomUUID() + "@example.com\",\"consent\":{\"email\":true}}";
		UUID lead = UUID.fromString(this.api.postJson("/api/leads", form).json().get("id").asText());
		String unsubscribe = this.links.unsubscribe(1, lead);
		assertThat(postForm(unsubscribe.substring(unsubscribe.indexOf("/t/u/"))).status()).isEqualTo(200);
		assertThat(this.api.postJson("/api/leads", form).status()).isEqualTo(200);
		String body = this.jdbc.sql("select body from email_resubscription where lead_id = ?")
			.param(lead)
			.query(String.class)
			.single();
		Matcher link = Pattern.compile("/t/r/[A-Za-z0-9_\\-.]+").matcher(body);
		assertThat(link.find()).isTrue();
		assertThat(postForm(link.group()).status()).isEqualTo(200);

		JsonNode entries = get(manager(), "/insights/api/leads/" + lead + "/timeline").get("entries");

		List<String> shown = new ArrayList<>();
		entries.forEach((entry) -> shown.add(entry.get("kind").asText() + " " + entry.get("what").asText() + " "
				+ entry.path("detail").asText("-") + " " + entry.path("why").asText("-")));
		assertThat(shown).contains("consent EMAIL confirmation asked RECORDED submitted again: api",
				"consent EMAIL granted - confirmed by email link", "engagement EMAIL_OPTED_IN - via EMAIL");
	}

	@Test
	void insightsAreForManagersOnly() {
		assertThat(this.api.get("/insights/api/funnel", "Authorization", "").status()).isEqualTo(401);
		assertThat(this.api.get("/insights/api/funnel").status()).as("an API key is not a manager").isEqualTo(401);
		WebappSession rep = new WebappSession(this.port);
		assertThat(rep.login(user("reps"), People.PASSWORD, "tasklist")).isEqualTo(200);
		assertThat(rep.get("/insights/api/funnel").statusCode()).isEqualTo(403);
		assertThat(rep.get("/insights/index.html").statusCode()).isEqualTo(403);
		assertThat(get(manager(), "/insights/api/funnel").get("stages")).isNotEmpty();
	}

	@Test
	void aBadReportRequestIsAClientError() {
		WebappSession manager = manager();
		assertThat(manager.get("/insights/api/who-converts?by=shoeSize").statusCode()).isEqualTo(400);
		assertThat(manager.get("/insights/api/funnel?from=yesterday").statusCode()).isEqualTo(400);
		assertThat(manager.get("/insights/api/funnel?from=2050-02-01&to=2050-01-01").statusCode()).isEqualTo(400);
		assertThat(manager.get("/insights/api/leads/" + UUID.randomUUID() + "/timeline").statusCode()).isEqualTo(404);
	}

	/** Two years, both days counted: a report over more would read every lead and touch there is. */
	@Test
	void aPeriodOfMoreThanTwoYearsIsRefusedSayingTheMaximum() {
		WebappSession manager = manager();
		LocalDate today = LocalDate.ofInstant(this.day, ZoneOffset.UTC);
		for (String report : List.of("funnel", "funnel.csv", "speed-to-lead", "speed-to-lead.csv", "who-converts",
				"who-converts.csv", "channels", "channels.csv")) {
			for (String query : List.of("from=" + today.minusDays(731) + "&to=" + today, "from=0001-01-01",
					"from=0001-01-01&to=9999-12-31")) {
				HttpResponse<String> refused = manager.get("/insights/api/" + report + "?" + query);
				assertThat(refused.statusCode()).as("%s?%s", report, query).isEqualTo(400);
				assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
				assertThat(refused.body()).as("%s?%s", report, query).contains("at most 731 days");
			}
			for (String query : List.of("from=" + today.minusDays(730) + "&to=" + today, "to=" + today, "")) {
				assertThat(manager.get("/insights/api/" + report + "?" + query).statusCode()).as("%s?%s", report, query)
					.isEqualTo(200);
			}
		}
	}

	/**
	 * Four leads of the day: a software lead that converts, a software lead that opens and clicks
	 * its acknowledgement, a retail lead a rep calls three minutes after capture, and a lead
	 * without email consent, whose industry is unknown.
	 */
	private List<UUID> knownLeads() {
		UUID convertedSoftware = lead("\"industry\":\"software\",\"consent\":{\"email\":true}");
		UUID clickingSoftware = lead("\"industry\":\"software\",\"consent\":{\"email\":true}");
		UUID calledRetail = lead("\"industry\":\"retail\",\"consent\":{\"email\":true}");
		UUID silentUnknown = lead("\"consent\":{\"email\":false}");
		List<UUID> leads = List.of(convertedSoftware, clickingSoftware, calledRetail, silentUnknown);
		leads.forEach(this.driver::settle);
		click(clickingSoftware);
		JourneyDriver.startClockAt(this.day.plus(Duration.ofMinutes(3)));
		this.driver.complete(calledRetail, "Task_CallNewLead", Map.of("callOutcome", "no_answer"));
		assertThat(this.api.postJson("/api/leads/" + convertedSoftware + "/engagements", "{\"type\":\"CONVERTED\"}")
			.status()).isEqualTo(201);
		return leads;
	}

	/**
	 * Takes the customer through onboarding and the check-in to the renewal call, a renewal date
	 * the next quarter brings near, and completes the call with {@code outcome}.
	 */
	private void renewalCall(UUID customer, String outcome) {
		this.driver.advance(customer, Duration.ofDays(7));
		this.driver.advance(customer, Duration.ofDays(23));
		this.driver.complete(customer, "Task_CheckIn", Map.of("customerHealth", "healthy"));
		this.runtime.setVariable(this.driver.journey(customer, LeadNurture.CUSTOMER_PROCESS_KEY),
				LeadNurture.RENEWAL_DATE, Date.from(this.driver.now().plus(Duration.ofDays(120))));
		this.driver.advance(customer, Duration.ofDays(91));
		this.driver.complete(customer, "Task_RenewalCall", Map.of("renewalOutcome", outcome));
	}

	/** Called right away, the rep books a meeting and qualifies the lead: its journey marks it sales-qualified. */
	private void salesQualified(UUID lead) {
		this.driver.complete(lead, "Task_CallNewLead", Map.of("callOutcome", "meeting_booked", "callNotes", ""));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", true));
		assertThat(stage(lead)).isEqualTo("SQL");
	}

	/**
	 * A lead of middling fit, not qualified after its first call, submits a form again during the
	 * nurture cadence: the score it gains makes it an MQL, handed to a rep.
	 */
	private UUID marketingQualified() {
		UUID lead = lead(MIDDLING_FIT + ",\"consent\":{\"email\":true}");
		this.driver.settle(lead);
		this.driver.complete(lead, "Task_CallNewLead", Map.of("callOutcome", "meeting_booked", "callNotes", ""));
		this.driver.complete(lead, "Task_Qualify", Map.of("qualified", false));
		submittedAgain(lead);
		assertThat(stage(lead)).isEqualTo("MQL");
		return lead;
	}

	private void submittedAgain(UUID lead) {
		String email = this.jdbc.sql("select email from lead where id = ?").param(lead).query(String.class).single();
		var again = this.api.postJson("/api/leads", "{\"email\":\"" + email + "\",\"consent\":{\"email\":true}}");
		assertThat(again.status()).as(again.body()).isEqualTo(200);
		this.driver.settle(lead);
	}

	/** The lead's one channel withdrawn through the unsubscribe link of its latest email. */
	private void unsubscribe(UUID lead) {
		long touch = this.jdbc.sql("select max(id) from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead)
			.query(Long.class)
			.single();
		String link = this.links.unsubscribe(touch, lead);
		assertThat(postForm(link.substring(link.indexOf("/t/u/"))).status()).isEqualTo(200);
		this.driver.settle(lead);
		assertThat(stage(lead)).isEqualTo("UNSUBSCRIBED");
	}

	private void disqualify(UUID lead) {
		disqualify(lead, "competitor");
	}

	private void disqualify(UUID lead, String reason) {
		assertThat(this.api.send(this.api.request("/api/leads/" + lead + "/disqualify?reason=" + encoded(reason))
			.POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
		assertThat(stage(lead)).isEqualTo("DISQUALIFIED");
	}

	private void churn(UUID customer, String reason) {
		assertThat(this.api.send(this.api.request("/api/leads/" + customer + "/churn?reason=" + encoded(reason))
			.POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
		assertThat(stage(customer)).isEqualTo("CHURNED");
	}

	private static String encoded(String text) {
		return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
	}

	/**
	 * The timeline's entries of the given kinds, in order, as "+hours since the run's day kind what |
	 * detail | why", "-" for what is not there.
	 */
	private List<String> told(JsonNode timeline, String... kinds) {
		List<String> told = new ArrayList<>();
		timeline.get("entries").forEach((entry) -> {
			if (List.of(kinds).contains(entry.get("kind").asText())) {
				long hours = Duration.between(this.day, Instant.parse(entry.get("at").asText())).toHours();
				told.add("+" + hours + "h " + entry.get("kind").asText() + " " + entry.get("what").asText() + " | "
						+ entry.path("detail").asText("-") + " | " + entry.path("why").asText("-"));
			}
		});
		return told;
	}

	private static List<String> links(JsonNode timeline, String kind) {
		List<String> links = new ArrayList<>();
		timeline.get("entries").forEach((entry) -> {
			if (entry.get("kind").asText().equals(kind)) {
				links.add(entry.path("link").asText(null));
			}
		});
		return links;
	}

	private static String cockpit(String journey) {
		return "/camunda/app/cockpit/default/#/process-instance/" + journey;
	}

	private void churn(UUID customer) {
		assertThat(this.api.send(this.api.request("/api/leads/" + customer + "/churn")
			.POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
		assertThat(stage(customer)).isEqualTo("CHURNED");
	}

	private String stage(UUID lead) {
		return this.jdbc.sql("select stage from lead where id = ?").param(lead).query(String.class).single();
	}

	private Instant stageReached(UUID lead, String column) {
		return this.jdbc.sql("select " + column + " from lead where id = ?")
			.param(lead)
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant();
	}

	/** A migration of this database's own folder ({@code db/h2}, {@code db/postgresql}). */
	private String vendorMigration(String file) {
		try (java.sql.Connection connection = this.dataSource.getConnection()) {
			String product = connection.getMetaData().getDatabaseProductName();
			return "db/" + (product.equals("PostgreSQL") ? "postgresql" : "h2") + "/" + file;
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String period() {
		return period(0);
	}

	/** The run's day and the {@code days} after it: runs' days are Mondays weeks apart, so a week is the run's own. */
	private String period(int days) {
		return "?from=" + this.day.toString().substring(0, 10) + "&to="
				+ this.day.plus(Duration.ofDays(days)).toString().substring(0, 10);
	}

	private UUID lead(String fields) {
		var created = this.api.postJson("/api/leads",
				"{\"email\":\"insight-" + UUID.randomUUID() + "@example.com\"," + fields + "}");
		assertThat(created.status()).isEqualTo(201);
		return UUID.fromString(created.json().get("id").asText());
	}

	/** The lead opens its acknowledgement and clicks a link in it twice: one touch, three events. */
	private void click(UUID lead) {
		long touch = this.jdbc.sql("select min(id) from touch where lead_id = ? and channel = 'EMAIL'")
			.param(lead)
			.query(Long.class)
			.single();
		String pixel = this.links.openPixel(touch, lead);
		assertThat(this.api.get(pixel.substring(pixel.indexOf("/t/o/")), "Authorization", "").status()).isEqualTo(200);
		String link = this.links.click(touch, lead, "https://nurtureflow.io/guide");
		for (int i = 0; i < 2; i++) {
			assertThat(this.api.get(link.substring(link.indexOf("/t/c/")), "Authorization", "").status()).isEqualTo(302);
		}
	}

	/** A tracking link's button pressed: a form post without login or cookie. */
	private Api.Response postForm(String path) {
		return this.api.send(this.api.request(path, "Authorization", "")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("")));
	}

	private WebappSession manager() {
		WebappSession session = new WebappSession(this.port);
		assertThat(session.login(user("managers"), People.PASSWORD, "cockpit")).isEqualTo(200);
		return session;
	}

	private String user(String group) {
		return new People(this.identity).member(group);
	}

	private static JsonNode get(WebappSession session, String path) {
		return get(session, path, 200);
	}

	private static JsonNode get(WebappSession session, String path, int status) {
		var response = session.get(path);
		assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(status);
		try {
			return JSON.readTree(response.body());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static Map<String, Long> stages(JsonNode funnel) {
		Map<String, Long> stages = new java.util.LinkedHashMap<>();
		funnel.get("stages").forEach((stage) -> stages.put(stage.get("stage").asText(), stage.get("leads").asLong()));
		return stages;
	}

	/** A journey step's count, 0 when the report has no row for the step. */
	private static long step(JsonNode steps, String step, String count) {
		for (JsonNode row : steps) {
			if (row.get("step").asText().equals(step)) {
				return row.get(count).asLong();
			}
		}
		return 0;
	}

	private static JsonNode row(JsonNode steps, String step) {
		for (JsonNode row : steps) {
			if (row.get("step").asText().equals(step)) {
				return row;
			}
		}
		throw new AssertionError("No row for " + step + " in " + steps);
	}

	private static JsonNode row(JsonNode rows, String channel, String content) {
		for (JsonNode row : rows) {
			if (row.get("channel").asText().equals(channel) && row.get("content").asText().equals(content)) {
				return row;
			}
		}
		throw new AssertionError("No row for " + channel + " " + content + " in " + rows);
	}

}
