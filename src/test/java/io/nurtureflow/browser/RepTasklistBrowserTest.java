package io.nurtureflow.browser;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.nurtureflow.browser.CamundaWebapps.COCKPIT;
import static io.nurtureflow.browser.CamundaWebapps.COCKPIT_DASHBOARD;
import static io.nurtureflow.browser.CamundaWebapps.ERROR_NOTIFICATION;
import static io.nurtureflow.browser.CamundaWebapps.LOGIN_FORM;
import static org.assertj.core.api.Assertions.assertThat;

/** A sales rep in Camunda Tasklist, in headless Chromium: the call task from list to outcome. */
@NurtureflowTest
@ExtendWith(BrowserExtension.class)
class RepTasklistBrowserTest {

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

	@Test
	void aRepClaimsTheCallTaskLogsTheOutcomeAndTheJourneyMovesOn(Browser browser) {
		String rep = this.people.member("reps", "Rita", "Rep");
		UUID lead = lead("Ada", "Lovelace", "Analytical Engines", "030 901820", "DE", "Europe/Berlin");
		this.journeys.settle(lead);
		String callTask = this.journeys.task(lead, "Task_CallNewLead").getId();

		CamundaWebapps webapps = new CamundaWebapps(browser);
		webapps.openGroupTask(rep, People.PASSWORD, lead.toString(), callTask, "Call new lead");
		browser.awaitText("Ada Lovelace", "Analytical Engines", "+4930901820", "Europe/Berlin");

		webapps.claim();
		webapps.chooseRadio("Not interested");
		// the whole form in one picture, for the README
		browser.resize(1400, 1500);
		browser.screenshotForDocs("RepTasklistBrowserTest.call-form", "call-form");
		browser.resize(1400, 1000);
		webapps.complete();

		browser.await("the completed task leaves the list",
				ExpectedConditions.invisibilityOfElementLocated(CamundaWebapps.taskLink(callTask)));
		this.journeys.settle(lead);
		String journey = this.journeys.journey(lead, "lead-nurture");
		assertThat(this.journeys.passed(journey, "EndEvent_NotInterested")).isTrue();
		assertThat(this.history.createHistoricVariableInstanceQuery()
			.processInstanceId(journey)
			.variableName("callOutcome")
			.singleResult()
			.getValue()).isEqualTo("not_interested");
		assertThat(this.api.get("/api/leads/" + lead).json().get("stage").asText()).isEqualTo("DISQUALIFIED");
	}

	@Test
	void aRepCommentsOnTheCallAndFindsTheCommentInItsHistory(Browser browser) {
		String rep = this.people.member("reps", "Ruth", "Rep");
		UUID lead = lead("Grace", "Hopper", "Cobol Inc", "030 901821", "DE", "Europe/Berlin");
		this.journeys.settle(lead);
		String callTask = this.journeys.task(lead, "Task_CallNewLead").getId();
		CamundaWebapps webapps = new CamundaWebapps(browser);
		webapps.openGroupTask(rep, People.PASSWORD, lead.toString(), callTask, "Call new lead");
		webapps.claim();

		webapps.addComment("Wants a call back after lunch");
		webapps.openHistory();

		browser.awaitText("Wants a call back after lunch");
		assertThat(this.tasks.getTaskComments(callTask)).hasSize(1);
	}

	@Test
	void whatALeadTypedShowsInTheCallFormAsTextNeverAsALinkOrAnImage(Browser browser) {
		String rep = this.people.member("reps", "Rosa", "Rep");
		String name = "[Reset your password](https://evil.example/reset)";
		String company = "<img src=https://evil.example/pixel.gif> **Urgent**";
		UUID lead = lead(name, "Lovelace", company, "030 901820", "DE", "Europe/Berlin");
		this.journeys.settle(lead);
		String callTask = this.journeys.task(lead, "Task_CallNewLead").getId();

		new CamundaWebapps(browser).openGroupTask(rep, People.PASSWORD, lead.toString(), callTask, "Call new lead");
		browser.awaitText(name + " Lovelace", company, "+4930901820");
		assertThat(browser.driver().findElements(By.cssSelector("a[href*='evil.example'], img[src*='evil.example']")))
			.isEmpty();
		assertThat(browser.driver().findElements(By.xpath("//strong[normalize-space(.)='Urgent']"))).isEmpty();
	}

	@Test
	void aRepCannotOpenCockpit(Browser browser) {
		String rep = this.people.member("reps", "Rick", "Rep");
		CamundaWebapps webapps = new CamundaWebapps(browser);

		webapps.submitLogin(COCKPIT, rep, People.PASSWORD);

		browser.visible(ERROR_NOTIFICATION);
		assertThat(browser.driver().findElement(ERROR_NOTIFICATION).getText()).contains("Login Failed");
		assertThat(browser.currentUrl()).endsWith("#/login");
		assertThat(browser.driver().findElements(LOGIN_FORM)).isNotEmpty();
		assertThat(browser.driver().findElements(COCKPIT_DASHBOARD)).isEmpty();
		browser.screenshot("RepTasklistBrowserTest.cockpit-refused");

		// the password was right: the same login opens Tasklist, and Cockpit stays closed to it
		webapps.loginToTasklist(rep, People.PASSWORD);
		browser.open(COCKPIT + "#/dashboard");
		browser.await("Cockpit refused (403) or asking for a login",
				(driver) -> browser.text().contains("403") || browser.text().contains("Forbidden")
						|| !driver.findElements(LOGIN_FORM).isEmpty());
		assertThat(browser.driver().findElements(COCKPIT_DASHBOARD)).isEmpty();
	}

	private UUID lead(String firstName, String lastName, String company, String phone, String country, String zone) {
		String email = "lead-" + UUID.randomUUID() + "@example.com";
		Api.Response created = this.api.postJson("/api/leads", """
				{"email":"%s","firstName":"%s","lastName":"%s","company":"%s","phone":"%s","country":"%s",
				 "timeZone":"%s","title":"Head of Operations","industry":"software","companySize":"51-200",
				 "consent":{"email":true,"sms":false}}""".formatted(email, firstName, lastName, company, phone, country,
				zone));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().get("id").asText());
	}

}
