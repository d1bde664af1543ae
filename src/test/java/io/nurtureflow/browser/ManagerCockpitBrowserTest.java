package io.nurtureflow.browser;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;

import io.nurtureflow.support.Api;
import io.nurtureflow.support.JourneyDriver;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.nurtureflow.browser.CamundaWebapps.COCKPIT;
import static io.nurtureflow.browser.CamundaWebapps.COCKPIT_DASHBOARD;
import static io.nurtureflow.browser.CamundaWebapps.DIAGRAM;
import static org.assertj.core.api.Assertions.assertThat;

/** A sales manager in headless Chromium: the missed call SLA in Tasklist, the journey in Cockpit. */
@NurtureflowTest
@ExtendWith(BrowserExtension.class)
class ManagerCockpitBrowserTest {

	@LocalServerPort
	int port;

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

	Api api;

	JourneyDriver journeys;

	People people;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
		this.journeys = new JourneyDriver(this.runtime, this.management, this.tasks, this.history);
		this.people = new People(this.identity);
	}

	@AfterEach
	void realTime() {
		ClockUtil.reset();
	}

	@Test
	void aManagerSeesTheMissedSlaInTasklistAndTheJourneyInCockpit(Browser browser) {
		String manager = this.people.member("managers", "Mia", "Manager");
		UUID lead = lead("Grace", "Hopper", "Compilers Inc", "+1 212 555 0142", "US", "America/New_York");
		String journey = this.journeys.journey(lead, "lead-nurture");
		missTheCallSla(lead);
		String escalation = this.journeys.task(lead, "Task_EscalateMissedSla").getId();
		Instant due = this.journeys.task(lead, "Task_CallNewLead").getDueDate().toInstant();
		CamundaWebapps webapps = new CamundaWebapps(browser);

		webapps.openGroupTask(manager, People.PASSWORD, lead.toString(), escalation, "Escalate missed call SLA");
		// in the business zone (UTC here), not the lead's
		browser.awaitText("Grace Hopper", "Compilers Inc",
				"Call was due: " + DUE.format(due.atZone(ZoneOffset.UTC)) + " (UTC)");
		browser.screenshot("ManagerCockpitBrowserTest.escalation-task");

		// the same browser session opens Cockpit without a second login
		browser.open(COCKPIT);
		browser.visible(COCKPIT_DASHBOARD);
		browser.click(By.cssSelector(".sections-menu a[href='#/processes']"));
		browser.click(By.xpath("//table//a[starts-with(@href,'#/process-definition/lead-nurture:')][normalize-space(.)='Lead nurture']"));
		browser.await("the Lead nurture definition page", (driver) -> driver.getCurrentUrl().contains("/process-definition/lead-nurture:"));
		browser.visible(DIAGRAM);
		browser.visible(activity("Task_CallNewLead"));
		browser.await("a running instance in the definition's table",
				(driver) -> !webapps.processInstanceRows().isEmpty());
		browser.screenshot("ManagerCockpitBrowserTest.lead-nurture-definition");

		browser.open(COCKPIT + "#/process-instance/" + journey + "/runtime");
		browser.awaitText("Instance ID:", journey, lead.toString());
		browser.visible(DIAGRAM);
		// a token waits at both the call and the escalation
		browser.visible(tokenCount("Task_CallNewLead"));
		browser.visible(tokenCount("Task_EscalateMissedSla"));

		// for the README: the diagram maximized (Cockpit keeps that in the browser) and zoomed on speed to lead
		browser.click(MAXIMIZE_DIAGRAM);
		browser.visible(RESTORE_DIAGRAM);
		browser.open(COCKPIT + "#/process-instance/" + journey + "/runtime?viewbox=" + URLEncoder.encode(
				"{\"Definitions_LeadNurture\":{\"x\":150,\"y\":50,\"width\":1720,\"height\":950}}",
				StandardCharsets.UTF_8));
		browser.driver().navigate().refresh();
		browser.visible(RESTORE_DIAGRAM);
		browser.visible(tokenCount("Task_CallNewLead"));
		browser.visible(tokenCount("Task_EscalateMissedSla"));
		browser.screenshotForDocs("ManagerCockpitBrowserTest.cockpit-lead-nurture", "cockpit-lead-nurture");
	}

	/**
	 * "Reassigned to another rep" asks whom, and only then (the form's condition, as Tasklist
	 * renders it); completed, the lead's call is that rep's.
	 */
	@Test
	void aManagerReassignsTheMissedCallInTasklist(Browser browser) {
		String manager = this.people.member("managers", "Max", "Manager");
		String rep = this.people.member("reps", "Ravi", "Rep");
		UUID lead = lead("Katherine", "Johnson", "Orbital Mechanics", "+1 757 555 0100", "US", "America/New_York");
		missTheCallSla(lead);
		String escalation = this.journeys.task(lead, "Task_EscalateMissedSla").getId();
		CamundaWebapps webapps = new CamundaWebapps(browser);

		webapps.openGroupTask(manager, People.PASSWORD, lead.toString(), escalation, "Escalate missed call SLA");
		browser.awaitText("Katherine Johnson");
		webapps.claim();
		assertThat(browser.driver().findElements(CamundaWebapps.formField("Reassign the call to")))
			.as("asked only for a reassignment")
			.isEmpty();
		webapps.chooseRadio("Reassigned to another rep");
		webapps.fillIn("Reassign the call to", rep);
		webapps.complete();

		browser.await("the completed escalation leaves the list",
				ExpectedConditions.invisibilityOfElementLocated(CamundaWebapps.taskLink(escalation)));
		assertThat(this.journeys.task(lead, "Task_CallNewLead").getAssignee()).isEqualTo(rep);
		assertThat(this.journeys.hasTask(lead, "Task_EscalateMissedSla")).isFalse();
	}

	/** Moves the engine clock just past the call's due time, fires the SLA timer and notifies, and back. */
	private void missTheCallSla(UUID lead) {
		Date due = this.journeys.task(lead, "Task_CallNewLead").getDueDate();
		ClockUtil.setCurrentTime(new Date(due.getTime() + 60_000));
		try {
			this.journeys.settle(lead);
		}
		finally {
			ClockUtil.reset();
		}
		assertThat(this.journeys.passed(this.journeys.journey(lead, "lead-nurture"), "Task_NotifyManagers")).isTrue();
	}

	private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

	private static final By MAXIMIZE_DIAGRAM = By.cssSelector("a.maximize-collapsable[title='Maximize diagram']");

	private static final By RESTORE_DIAGRAM = By.cssSelector("a.restore-collapsable");

	private static By activity(String id) {
		return By.cssSelector(".djs-container g.djs-element[data-element-id='" + id + "']");
	}

	private static By tokenCount(String id) {
		return By.cssSelector(".djs-overlays[data-container-id='" + id + "'] .badge.instance-count");
	}

	private UUID lead(String firstName, String lastName, String company, String phone, String country, String zone) {
		String email = firstName.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
		Api.Response created = this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"%s","lastName":"%s","company":"%s","phone":"%s","country":"%s",
				 "timeZone":"%s","title":"VP Engineering","industry":"software","companySize":"201-500",
				 "consent":{"email":true,"sms":false}}""".formatted(email, firstName, lastName, company, phone, country,
				zone));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		UUID lead = UUID.fromString(created.json().get("id").asText());
		this.journeys.settle(lead);
		return lead;
	}

}
