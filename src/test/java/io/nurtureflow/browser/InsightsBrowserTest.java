package io.nurtureflow.browser;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import io.nurtureflow.tracking.TrackingLinks;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The insight pages ({@code static/insights}) in a real browser, as a manager uses them: logged in
 * through the Cockpit login, over a data set built through the real API on a day no other test
 * uses, so every number on the pages is known. Reps are refused, and stored text that looks like
 * HTML stays text.
 */
@NurtureflowTest
@ExtendWith(BrowserExtension.class)
class InsightsBrowserTest {

	/** A Monday, 09:00 UTC, in business hours, years after any other test's leads. */
	static final Instant CAPTURED = Instant.parse("2041-06-03T09:00:00Z");

	static final String PERIOD = "from=2041-06-01&to=2041-06-03";

	/** When the returning customer was captured: outside {@link #PERIOD}, so the period pages do not count it. */
	static final Instant RETURNING_CAPTURED = Instant.parse("2041-07-01T09:00:00Z");

	static final String HOSTILE = "<img src=x onerror=alert(1)>";

	/** The size of the screenshots for the docs. */
	static final int WIDTH = 1400;

	static final int HEIGHT = 1000;

	/** Built once per JVM: the in-memory database outlives the test instances. */
	private static DataSet data;

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

	@BeforeEach
	void knownDataSet() {
		Assumptions.assumeTrue(Browser.installed(), "Browser tests need " + Browser.CHROMEDRIVER);
		synchronized (InsightsBrowserTest.class) {
			if (data == null) {
				data = build();
			}
		}
	}

	@AfterEach
	void realTime() {
		JourneyDriver.resetClock();
	}

	// funnel

	@Test
	void theFunnelShowsTheKnownLeadsForThePickedPeriod(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);
		viewport(browser);

		browser.open("/insights/index.html");
		ready(browser);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate to = LocalDate.parse(value(browser, "period-to"));
		assertThat(to).as("the period ends today (UTC) by default").isBetween(today.minusDays(1), today);
		assertThat(value(browser, "period-from")).as("and starts 90 days earlier")
			.isEqualTo(to.minusDays(90).toString());

		markDocument(browser);
		js(browser).executeScript("""
				document.getElementById('period-from').value = '2041-06-01';
				document.getElementById('period-to').value = '2041-06-03';""");
		browser.clickable(By.id("period-apply")).click();
		awaitNextDocument(browser, "the page for the picked period");
		ready(browser);
		assertThat(browser.currentUrl()).contains("/insights/index.html?" + PERIOD);

		Map<String, List<String>> funnel = rows(browser, "funnel-table");
		assertThat(funnel.keySet()).containsExactly("new", "contacted", "engaged", "mql", "sql", "customer",
				"churned", "unsubscribed", "disqualified");
		assertThat(funnel.get("new")).containsExactly("New", "6", "–");
		assertThat(funnel.get("contacted")).containsExactly("Contacted", "6", "100 %");
		assertThat(funnel.get("engaged")).containsExactly("Engaged", "4", "66.7 %");
		assertThat(funnel.get("mql")).containsExactly("MQL", "2", "50 %");
		assertThat(funnel.get("sql")).containsExactly("SQL", "2", "100 %");
		assertThat(funnel.get("customer")).containsExactly("Customer", "2", "100 %");
		assertThat(funnel.get("churned")).containsExactly("Churned", "0", "0 % of all leads");
		assertThat(funnel.get("unsubscribed")).containsExactly("Unsubscribed", "0", "0 % of all leads");
		assertThat(funnel.get("disqualified")).containsExactly("Disqualified", "1", "16.7 % of all leads");
		assertThat(text(browser, "funnel-total")).isEqualTo("6");
		assertThat(text(browser, "funnel-win-rate")).isEqualTo("33.3 %");

		assertThat(js(browser).executeScript("return Chart.getChart(document.getElementById('funnel-chart')) != null"))
			.as("Chart.js drew the funnel").isEqualTo(true);
		assertThat(numbers(chartData(browser, "funnel-chart", 0))).containsExactly(6.0, 6.0, 4.0, 2.0, 2.0, 2.0, 0.0,
				0.0, 1.0);

		assertThat(browser.driver().findElement(By.id("funnel-csv")).getDomAttribute("href"))
			.isEqualTo("/insights/api/funnel.csv?" + PERIOD);
		assertThat(fetchText(browser, "funnel-csv").lines().toList()).containsExactly("stage,leads,fromPrevious",
				"new,6,", "contacted,6,1.0", "engaged,4,0.667", "mql,2,0.5", "sql,2,1.0", "customer,2,1.0",
				"churned,0,0.0", "unsubscribed,0,0.0", "disqualified,1,0.167");

		Map<String, String> nav = new LinkedHashMap<>();
		browser.driver()
			.findElements(By.cssSelector("#insights-nav a"))
			.forEach((link) -> nav.put(link.getText(), link.getDomAttribute("href")));
		assertThat(nav).containsExactly(Map.entry("Funnel", "index.html?" + PERIOD),
				Map.entry("Speed to lead", "speed.html?" + PERIOD), Map.entry("Who converts", "converts.html?" + PERIOD),
				Map.entry("Channels & content", "channels.html?" + PERIOD), Map.entry("Journey steps", "steps.html"),
				Map.entry("Lead timeline", "lead.html"));
		assertThat(browser.driver().findElement(By.id("cockpit-link")).getDomAttribute("href"))
			.isEqualTo("/camunda/app/cockpit/default/");
		document(browser, "insights-funnel");
	}

	/** The picker says so before asking; a period in the address gets the API's answer in the banner. */
	@Test
	void aPeriodOfMoreThanTwoYearsIsRefusedByThePickerAndByThePage(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);
		browser.open("/insights/index.html?from=2039-06-02&to=2041-06-03");
		awaitState(browser, "error");
		assertThat(text(browser, "error-banner")).contains("at most 731 days", "(HTTP 400)");
		assertThat(browser.driver().findElements(By.id("funnel-table"))).isEmpty();

		browser.open("/insights/index.html?" + PERIOD);
		ready(browser);
		markDocument(browser);
		js(browser).executeScript("""
				document.getElementById('period-from').value = '2039-06-02';
				document.getElementById('period-to').value = '2041-06-03';""");
		browser.clickable(By.id("period-apply")).click();
		assertThat(text(browser, "error-banner"))
			.isEqualTo("A period spans at most 731 days (two years), both dates included.");
		assertThat(js(browser).executeScript("return window.nurtureflowPreviousDocument === true")).as("the page stayed")
			.isEqualTo(true);
	}

	// speed to lead

	@Test
	void speedToLeadShowsFirstTouchRepContactAndSlaMisses(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);
		viewport(browser);
		browser.open("/insights/speed.html?" + PERIOD);
		ready(browser);

		assertThat(text(browser, "first-touch-median")).isEqualTo("42 s");
		assertThat(text(browser, "first-touch-p90")).isEqualTo("42 s");
		assertThat(text(browser, "first-touch-within5")).isEqualTo("100 %");
		assertThat(text(browser, "first-touch-count")).isEqualTo("6");
		assertThat(text(browser, "rep-contact-median")).isEqualTo("3 min");
		assertThat(text(browser, "rep-contact-count")).isEqualTo("1");
		assertThat(text(browser, "rep-contact-of")).isEqualTo("of 6 captured");

		assertThat(rows(browser, "sla-table")).containsExactly(Map.entry("reps", List.of("reps", "1")));
		assertThat(rows(browser, "speed-hours-table")).containsExactly(Map.entry("9", List.of("09:00", "6", "42 s")));
		assertThat(js(browser).executeScript("return Chart.getChart(document.getElementById('speed-chart')) != null"))
			.isEqualTo(true);
		assertThat(numbers(chartData(browser, "speed-chart", 0)).get(9)).as("leads captured 09:00-09:59").isEqualTo(6.0);
		assertThat(numbers(chartData(browser, "speed-chart", 1)).get(9)).as("their median first touch")
			.isEqualTo(42.0);
		assertThat(browser.driver().findElement(By.id("speed-hours-csv")).getDomAttribute("href"))
			.isEqualTo("/insights/api/speed-to-lead.csv?" + PERIOD);
		document(browser, "insights-speed");
	}

	// who converts

	@Test
	void whoConvertsShowsTheRatePerIndustryAndOtherGroupings(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);
		viewport(browser);
		browser.open("/insights/converts.html?" + PERIOD + "&by=industry");
		ready(browser);

		Map<String, List<String>> industries = rows(browser, "converts-table");
		assertThat(industries.keySet()).as("best rate first")
			.containsExactly("logistics", "software", "insurance", "manufacturing", "retail");
		assertThat(industries.get("logistics")).containsExactly("logistics", "1", "1", "100 %", "4.0");
		assertThat(industries.get("software")).containsExactly("software", "2", "1", "50 %", "2.0");
		assertThat(industries.get("retail")).containsExactly("retail", "1", "0", "0 %", "–");
		assertThat(js(browser).executeScript("return Chart.getChart(document.getElementById('converts-chart')) != null"))
			.isEqualTo(true);
		assertThat(numbers(chartData(browser, "converts-chart", 0))).containsExactly(100.0, 50.0, 0.0, 0.0, 0.0);
		assertThat(browser.driver().findElement(By.id("converts-csv")).getDomAttribute("href"))
			.isEqualTo("/insights/api/who-converts.csv?" + PERIOD + "&by=industry");
		document(browser, "insights-converts");

		markDocument(browser);
		new Select(browser.visible(By.id("converts-by"))).selectByValue("companySize");
		awaitNextDocument(browser, "the page grouped by company size");
		ready(browser);
		assertThat(browser.currentUrl()).contains("by=companySize").contains(PERIOD);
		assertThat(rows(browser, "converts-table"))
			.containsExactly(Map.entry("(unknown)", List.of("(unknown)", "6", "2", "33.3 %", "2.0")));
	}

	// channels

	@Test
	void channelsShowTheAcknowledgements(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);
		browser.open("/insights/channels.html?" + PERIOD);
		ready(browser);

		Map<String, List<String>> channels = rows(browser, "channels-table");
		assertThat(channels.get("EMAIL/acknowledgement")).as("channel, content, sent, delivered, opened, clicked, "
				+ "replied, unsubscribed, bounced")
			.containsExactly("EMAIL", "acknowledgement", "6", "0", "0", "1", "0", "0", "0");
		assertThat(channels.get("SMS/acknowledgement")).as("no phone, no SMS consent: skipped, not sent")
			.containsExactly("SMS", "acknowledgement", "0", "0", "0", "0", "0", "0", "0");
		assertThat(js(browser).executeScript("return Chart.getChart(document.getElementById('channels-chart')) != null"))
			.isEqualTo(true);
		@SuppressWarnings("unchecked")
		List<String> labels = (List<String>) js(browser)
			.executeScript("return Chart.getChart(document.getElementById('channels-chart')).data.labels");
		int acknowledgement = labels.indexOf("EMAIL acknowledgement");
		assertThat(acknowledgement).isNotNegative();
		assertThat(numbers(chartData(browser, "channels-chart", 0)).get(acknowledgement)).as("sent").isEqualTo(6.0);
		assertThat(numbers(chartData(browser, "channels-chart", 2)).get(acknowledgement)).as("clicked").isEqualTo(1.0);
		assertThat(browser.driver().findElement(By.id("channels-csv")).getDomAttribute("href"))
			.isEqualTo("/insights/api/channels.csv?" + PERIOD);
	}

	// journey steps

	@Test
	void journeyStepsShowWhereLeadsWaitNow(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);
		browser.open("/insights/steps.html");
		ready(browser);

		Map<String, List<String>> steps = rows(browser, "steps-table");
		List<String> call = steps.get("lead-nurture/Task_CallNewLead");
		assertThat(call).as("journey, step, name, waiting now, left here").isNotNull();
		assertThat(call.subList(0, 3)).containsExactly("lead-nurture", "Task_CallNewLead", "Call new lead");
		assertThat(Long.parseLong(call.get(3))).as("the three calls of this data set still open, at least")
			.isGreaterThanOrEqualTo(3);
		assertThat(Long.parseLong(steps.get("lead-nurture/Task_EscalateMissedSla").get(3))).isGreaterThanOrEqualTo(1);
		assertThat(js(browser).executeScript("return Chart.getChart(document.getElementById('steps-chart')) != null"))
			.isEqualTo(true);
		assertThat(browser.driver().findElement(By.id("steps-csv")).getDomAttribute("href"))
			.isEqualTo("/insights/api/journey-steps.csv");
		assertThat(browser.driver().findElements(By.id("period"))).as("steps are now, not a period").isEmpty();
	}

	// lead timeline

	@Test
	void aLeadsTimelineListsWhatHappenedInOrderWithCockpitLinks(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);
		browser.open("/insights/lead.html");
		ready(browser);
		browser.visible(By.id("lead-id")).sendKeys(data.convertedSoftware().toString());
		markDocument(browser);
		browser.clickable(By.id("lead-show")).click();
		awaitNextDocument(browser, "the timeline page");
		ready(browser);
		assertThat(browser.currentUrl()).endsWith("/insights/lead.html?id=" + data.convertedSoftware());

		assertThat(text(browser, "lead-stage")).isEqualTo("CUSTOMER");
		assertThat(text(browser, "lead-email")).isEqualTo(data.email("grace"));
		List<List<String>> entries = rowList(browser, "timeline-table");
		assertThat(entries.get(0)).as("time, kind, what, detail, why, link")
			.containsExactly("2041-06-03 09:00:00 UTC", "captured", "Lead captured", "–", "–", "");
		assertThat(entries).anySatisfy((entry) -> assertThat(entry).containsExactly("2041-06-03 09:00:42 UTC",
				"touch", "EMAIL acknowledgement", "RECORDED", "record-only: no provider configured", "open in Cockpit"));
		assertThat(entries).anySatisfy((entry) -> assertThat(entry.subList(0, 3))
			.containsExactly("2041-06-05 09:00:00 UTC", "engagement", "CONVERTED"));
		assertThat(entries).anySatisfy((entry) -> assertThat(entry.subList(1, 3)).containsExactly("task", "Call new lead"));
		assertThat(entries).as("its journeys, and the stage it reached, with links to the journeys")
			.containsSubsequence(
					List.of("2041-06-03 09:00:00 UTC", "journey", "lead-nurture started", "ended", "–", "open in Cockpit"),
					List.of("2041-06-05 09:00:00 UTC", "stage", "Became an MQL", "–", "–", ""),
					List.of("2041-06-05 09:00:00 UTC", "stage", "Became an SQL", "–", "–", ""),
					List.of("2041-06-05 09:00:00 UTC", "stage", "Became a customer", "–", "–", ""),
					List.of("2041-06-05 09:00:00 UTC", "journey", "lead-nurture ended", "Converted", "–",
							"open in Cockpit"),
					List.of("2041-06-05 09:00:00 UTC", "journey", "customer-nurture started", "running", "–",
							"open in Cockpit"));
		assertThat(js(browser).executeScript("""
				return ['stage', 'journey'].map((kind) => {
				  const badge = document.querySelector('#timeline-table span.kind-' + kind);
				  return badge ? getComputedStyle(badge).backgroundColor : null;
				});""")).as("stages and journeys have badges of their own")
			.asList()
			.doesNotContainNull()
			.doesNotHaveDuplicates();
		@SuppressWarnings("unchecked")
		List<String> times = (List<String>) js(browser).executeScript(
				"return Array.from(document.querySelectorAll('#timeline-table time')).map(t => t.getAttribute('datetime'))");
		assertThat(times).hasSize(entries.size());
		assertThat(times.stream().map(Instant::parse).toList()).as("in order").isSorted();
		assertThat(text(browser, "lead-entries")).isEqualTo(String.valueOf(entries.size()));

		List<WebElement> cockpit = browser.driver().findElements(By.cssSelector("#timeline-table a"));
		assertThat(cockpit).isNotEmpty().allSatisfy((link) -> {
			assertThat(link.getText()).isEqualTo("open in Cockpit");
			assertThat(link.getDomAttribute("href")).startsWith("/camunda/app/cockpit/default/#/process-instance/");
		});
		String journey = this.history.createHistoricProcessInstanceQuery()
			.processInstanceBusinessKey(data.convertedSoftware().toString())
			.processDefinitionKey("lead-nurture")
			.singleResult()
			.getId();
		assertThat(cockpit).anySatisfy((link) -> assertThat(link.getDomAttribute("href"))
			.isEqualTo("/camunda/app/cockpit/default/#/process-instance/" + journey));
		assertThat(browser.driver().findElement(By.id("timeline-csv")).getDomAttribute("href"))
			.isEqualTo("/insights/api/leads/" + data.convertedSoftware() + "/timeline.csv");

		browser.open("/insights/lead.html?id=" + UUID.randomUUID());
		awaitState(browser, "error");
		assertThat(text(browser, "error-banner")).contains("(HTTP 404)");
		browser.open("/insights/lead.html?id=not-a-lead");
		awaitState(browser, "error");
		assertThat(text(browser, "error-banner")).contains("“not-a-lead” is not a lead id");
	}

	// security

	@Test
	void storedTextThatLooksLikeHtmlIsShownAsText(Browser browser) {
		new CamundaWebapps(browser).loginToCockpit(data.manager(), People.PASSWORD);

		browser.open("/insights/lead.html?id=" + data.hostile());
		ready(browser);
		assertNoAlert(browser);
		assertThat(rowList(browser, "timeline-table"))
			.anySatisfy((entry) -> assertThat(entry.subList(1, 4)).containsExactly("engagement", "CONTENT_DOWNLOADED",
					HOSTILE));
		assertThat(browser.driver().findElements(By.cssSelector("#timeline-table img"))).as("no markup from data")
			.isEmpty();
		assertThat(browser.text()).contains(HOSTILE);

		browser.open("/insights/lead.html?id=" + data.returning());
		ready(browser);
		assertNoAlert(browser);
		assertThat(text(browser, "lead-stage")).as("a lead again").isEqualTo("NEW");
		assertThat(rowList(browser, "timeline-table")).extracting((entry) -> entry.subList(0, 5))
			.containsSubsequence(
					List.of("2041-07-02 09:00:00 UTC", "journey", "customer-nurture started", "ended", "–"),
					List.of("2041-07-06 09:00:00 UTC", "stage", "Churned", "–", "–"),
					List.of("2041-07-06 09:00:00 UTC", "journey", "customer-nurture ended", "Churned mid-contract",
							HOSTILE),
					List.of("2041-07-08 09:00:00 UTC", "engagement", "RECONVERSION", "api", "–"),
					List.of("2041-07-08 09:00:00 UTC", "journey", "lead-nurture started again: the lead came back",
							"running", "–"));
		assertThat(browser.driver().findElements(By.cssSelector("#timeline-table img"))).as("no markup from data")
			.isEmpty();

		browser.open("/insights/converts.html?" + PERIOD + "&by=source");
		ready(browser);
		assertNoAlert(browser);
		assertThat(rows(browser, "converts-table")).containsKey(HOSTILE);
		assertThat(rows(browser, "converts-table").get(HOSTILE)).containsExactly(HOSTILE, "1", "0", "0 %", "–");
		assertThat(browser.driver().findElements(By.cssSelector("#converts-table img"))).isEmpty();
		assertThat(browser.text()).contains(HOSTILE);
	}

	@Test
	void withoutALoginThePagesGoToCockpitAndRepsAreRefused(Browser browser) {
		browser.open("/insights/index.html");
		browser.await("the Cockpit login", ExpectedConditions.urlContains("/camunda/app/cockpit/default/"));
		browser.visible(CamundaWebapps.USERNAME);

		new CamundaWebapps(browser).loginToTasklist(data.rep(), People.PASSWORD);
		browser.open("/insights/index.html");
		browser.awaitText("Insights are for managers and administrators; " + data.rep() + " is neither");
		assertThat(browser.text()).contains("\"status\":403");
		assertThat(browser.driver().findElements(By.id("funnel-table"))).isEmpty();
		browser.open("/insights/api/funnel?" + PERIOD);
		browser.awaitText("\"status\":403");
	}

	// the data set

	/** The leads, one per path the reports tell apart, captured at {@link #CAPTURED}. */
	record DataSet(String run, UUID convertedSoftware, UUID clickingSoftware, UUID disqualifiedRetail,
			UUID convertedLogistics, UUID missedSlaInsurance, UUID hostile, UUID returning, String manager,
			String rep) {

		String email(String name) {
			return InsightsBrowserTest.email(name, this.run);
		}

	}

	private DataSet build() {
		Api api = new Api(this.port);
		People people = new People(this.identity);
		JourneyDriver driver = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		JourneyDriver.startClockAt(CAPTURED);
		try {
			UUID convertedSoftware = lead(api, email("grace", run), "Grace", "software", "website", "spring-launch");
			UUID clickingSoftware = lead(api, email("linus", run), "Linus", "software", "website", "spring-launch");
			UUID disqualifiedRetail = lead(api, email("ada", run), "Ada", "retail", "trade-show", "expo-2041");
			UUID convertedLogistics = lead(api, email("alan", run), "Alan", "logistics", "referral", null);
			UUID missedSla = lead(api, email("edsger", run), "Edsger", "insurance", "webinar", "webinar-june");
			UUID hostile = lead(api, email("mallory", run), HOSTILE, "manufacturing", HOSTILE, null);
			List<UUID> all = List.of(convertedSoftware, clickingSoftware, disqualifiedRetail, convertedLogistics,
					missedSla, hostile);

			// every acknowledgement goes out 42 s after capture
			JourneyDriver.startClockAt(CAPTURED.plusSeconds(42));
			all.forEach(driver::settle);
			// one rep calls after 3 minutes: not interested
			JourneyDriver.startClockAt(CAPTURED.plus(Duration.ofMinutes(3)));
			driver.complete(disqualifiedRetail, "Task_CallNewLead",
					Map.of("callOutcome", "not_interested", "callNotes", ""));
			// one call misses its 5-minute SLA
			JourneyDriver.startClockAt(CAPTURED.plus(Duration.ofMinutes(6)));
			driver.settle(missedSla);
			// engagement: a click on an acknowledgement, a download with a detail that looks like HTML
			JourneyDriver.startClockAt(CAPTURED.plus(Duration.ofMinutes(20)));
			click(api, clickingSoftware);
			push(api, hostile, "CONTENT_DOWNLOADED", HOSTILE);
			// conversions after 2 and 4 days
			JourneyDriver.startClockAt(CAPTURED.plus(Duration.ofDays(2)));
			push(api, convertedSoftware, "CONVERTED", null);
			driver.settle(convertedSoftware);
			JourneyDriver.startClockAt(CAPTURED.plus(Duration.ofDays(4)));
			push(api, convertedLogistics, "CONVERTED", null);
			driver.settle(convertedLogistics);
			UUID returning = returningCustomer(api, driver, run);
			return new DataSet(run, convertedSoftware, clickingSoftware, disqualifiedRetail, convertedLogistics,
					missedSla, hostile, returning, people.member("managers", "Margaret", "Manager"),
					people.member("reps", "Rita", "Rep"));
		}
		finally {
			JourneyDriver.resetClock();
		}
	}

	/**
	 * Captured in July, after the period the other pages show: a customer who churns, its reason
	 * looking like HTML, and fills in a form again a week later.
	 */
	private static UUID returningCustomer(Api api, JourneyDriver driver, String run) {
		JourneyDriver.startClockAt(RETURNING_CAPTURED);
		UUID returning = lead(api, email("barbara", run), "Barbara", "software", "website", null);
		driver.settle(returning);
		JourneyDriver.startClockAt(RETURNING_CAPTURED.plus(Duration.ofDays(1)));
		push(api, returning, "CONVERTED", null);
		driver.settle(returning);
		JourneyDriver.startClockAt(RETURNING_CAPTURED.plus(Duration.ofDays(5)));
		var churned = api.send(api.request("/api/leads/" + returning + "/churn?reason="
				+ java.net.URLEncoder.encode(HOSTILE, java.nio.charset.StandardCharsets.UTF_8))
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
		assertThat(churned.status()).as(churned.body()).isEqualTo(204);
		JourneyDriver.startClockAt(RETURNING_CAPTURED.plus(Duration.ofDays(7)));
		assertThat(api.postJson("/api/leads", "{\"email\":" + json(email("barbara", run)) + "}").status())
			.isEqualTo(200);
		driver.settle(returning);
		return returning;
	}

	private static String email(String name, String run) {
		return name + "-" + run + "@insights.example.com";
	}

	private static UUID lead(Api api, String email, String firstName, String industry, String source,
			String campaign) {
		String body = "{\"email\":" + json(email) + ",\"firstName\":" + json(firstName) + ",\"industry\":"
				+ json(industry) + ",\"source\":" + json(source)
				+ ((campaign != null) ? ",\"campaign\":" + json(campaign) : "") + ",\"consent\":{\"email\":true}}";
		var created = api.postJson("/api/leads", body);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().get("id").asText());
	}

	private void click(Api api, UUID lead) {
		long touch = this.jdbc
			.sql("select min(id) from touch where lead_id = ? and channel = 'EMAIL' and content = 'acknowledgement'")
			.param(lead)
			.query(Long.class)
			.single();
		String link = this.links.click(touch, lead, "https://nurtureflow.io/guide");
		assertThat(api.get(link.substring(link.indexOf("/t/c/")), "Authorization", "").status()).isEqualTo(302);
	}

	private static void push(Api api, UUID lead, String type, String detail) {
		String body = "{\"type\":\"" + type + "\"" + ((detail != null) ? ",\"detail\":" + json(detail) : "") + "}";
		var pushed = api.postJson("/api/leads/" + lead + "/engagements", body);
		assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
	}

	private static String json(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	// the browser

	/** Waits until the page has loaded its report and drawn it, and fails with the banner's text if not. */
	private static void ready(Browser browser) {
		String state = awaitFinished(browser);
		assertThat(state).as("page state at %s; banner: %s", browser.currentUrl(), text(browser, "error-banner"))
			.isEqualTo("ready");
	}

	/**
	 * Marks the document now shown, so that {@link #awaitNextDocument} can tell when the browser has replaced it.
	 * A mark in the window survives no navigation; an element reference held across one can make Chrome answer
	 * with an inspector error instead of a stale element.
	 */
	private static void markDocument(Browser browser) {
		js(browser).executeScript("window.nurtureflowPreviousDocument = true;");
	}

	private static void awaitNextDocument(Browser browser, String what) {
		browser.await(what, (driver) -> !Boolean.TRUE
			.equals(((JavascriptExecutor) driver).executeScript("return window.nurtureflowPreviousDocument === true;")));
	}

	private static void awaitState(Browser browser, String expected) {
		assertThat(awaitFinished(browser)).isEqualTo(expected);
	}

	private static String awaitFinished(Browser browser) {
		return browser.await("the insights page to finish loading", (driver) -> {
			Object state = ((JavascriptExecutor) driver)
				.executeScript("return document.body ? document.body.dataset.insights : null");
			return ("ready".equals(state) || "error".equals(state)) ? (String) state : null;
		});
	}

	private static void assertNoAlert(Browser browser) {
		assertThatThrownBy(() -> new WebDriverWait(browser.driver(), Duration.ofSeconds(2))
			.until(ExpectedConditions.alertIsPresent())).as("no script from stored text ran")
			.isInstanceOf(TimeoutException.class);
		assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
	}

	private static JavascriptExecutor js(Browser browser) {
		return (JavascriptExecutor) browser.driver();
	}

	private static String text(Browser browser, String id) {
		List<WebElement> found = browser.driver().findElements(By.id(id));
		return found.isEmpty() ? null : (String) js(browser).executeScript("return arguments[0].textContent.trim()",
				found.get(0));
	}

	private static String value(Browser browser, String id) {
		return browser.driver().findElement(By.id(id)).getDomProperty("value");
	}

	/** A table's body rows, by the row's data-key, as the cells' text. */
	private static Map<String, List<String>> rows(Browser browser, String table) {
		Map<String, List<String>> rows = new LinkedHashMap<>();
		for (List<String> row : keyedRows(browser, table)) {
			rows.put(row.get(0), row.subList(1, row.size()));
		}
		return rows;
	}

	private static List<List<String>> rowList(Browser browser, String table) {
		return keyedRows(browser, table).stream().map((row) -> row.subList(1, row.size())).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<List<String>> keyedRows(Browser browser, String table) {
		List<List<String>> rows = (List<List<String>>) js(browser).executeScript("""
				const table = document.getElementById(arguments[0]);
				if (!table) { return null; }
				return Array.from(table.tBodies[0].rows).map((tr) =>
				  [tr.dataset.key || ''].concat(Array.from(tr.cells).map((td) => td.textContent.trim())));""", table);
		assertThat(rows).as("table #%s", table).isNotNull();
		return rows;
	}

	private static Object chartData(Browser browser, String canvas, int dataset) {
		return js(browser).executeScript(
				"return Chart.getChart(document.getElementById(arguments[0])).data.datasets[arguments[1]].data", canvas,
				dataset);
	}

	private static List<Double> numbers(Object values) {
		assertThat(values).isInstanceOf(List.class);
		return ((List<?>) values).stream().map((v) -> (v == null) ? null : ((Number) v).doubleValue()).toList();
	}

	/** Fetches a link's target with the page's session, as a click on it would. */
	private static String fetchText(Browser browser, String link) {
		return (String) js(browser).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(document.getElementById(arguments[0]).href, { credentials: 'same-origin' })
				  .then((response) => response.ok ? response.text() : 'HTTP ' + response.status)
				  .then(done, (error) => done('failed: ' + error));""", link);
	}

	/**
	 * Makes the page area 1400 x 1000 pixels, for screenshots of that size: headless Chromium's
	 * {@code --window-size} is the outer size of the window.
	 */
	private static void viewport(Browser browser) {
		WebDriver.Window window = browser.driver().manage().window();
		Dimension outer = window.getSize();
		@SuppressWarnings("unchecked")
		List<Number> inner = (List<Number>) js(browser).executeScript("return [window.innerWidth, window.innerHeight]");
		window.setSize(new Dimension(outer.getWidth() + WIDTH - inner.get(0).intValue(),
				outer.getHeight() + HEIGHT - inner.get(1).intValue()));
		browser.await("a " + WIDTH + " x " + HEIGHT + " page area", (driver) -> ((JavascriptExecutor) driver)
			.executeScript("return window.innerWidth === arguments[0] && window.innerHeight === arguments[1]", WIDTH,
					HEIGHT)
			.equals(Boolean.TRUE));
	}

	/** Screenshots the page area to target/screenshots, and to the docs folder when asked. */
	private static void document(Browser browser, String name) {
		js(browser).executeScript("window.scrollTo(0, 0)");
		browser.screenshotForDocs(name, name);
	}

}
