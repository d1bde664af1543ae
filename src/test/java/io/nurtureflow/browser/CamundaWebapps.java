package io.nurtureflow.browser;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person does in Camunda 7.24's Tasklist and Cockpit, with the selectors those pages
 * really have (AngularJS pages; forms rendered by form-js 1.8).
 */
final class CamundaWebapps {

	static final String TASKLIST = "/camunda/app/tasklist/default/";

	static final String COCKPIT = "/camunda/app/cockpit/default/";

	/** The login form of every webapp: its inputs have no name or id, only AngularJS models. */
	static final By LOGIN_FORM = By.cssSelector("form[name='signinForm']");

	static final By USERNAME = By.cssSelector("form[name='signinForm'] input[ng-model='username']");

	static final By PASSWORD = By.cssSelector("form[name='signinForm'] input[ng-model='password']");

	static final By LOG_IN = By.cssSelector("form[name='signinForm'] button[type='submit']");

	static final By ERROR_NOTIFICATION = By.cssSelector(".page-notifications .alert-danger");

	static final By TASK_FILTERS = By.cssSelector("section.task-filters .task-filter");

	/** A Camunda Form as form-js renders it in the task pane. */
	static final By CAMUNDA_FORM = By.cssSelector("form.fjs-form");

	static final By CLAIM = By.cssSelector("button.claim");

	static final By COMPLETE = By.xpath("//div[contains(@class,'form-actions')]/button[normalize-space(.)='Complete']");

	static final By ADD_COMMENT = By.cssSelector("a.createCommentLink");

	static final By COMMENT_MESSAGE = By.cssSelector("form[name='newComment'] textarea#comment-form-message");

	static final By SAVE_COMMENT = By.cssSelector("form[name='newComment'] button[type='submit']");

	static final By HISTORY_TAB = By.xpath("//ul[contains(@class,'nav-tabs')]//a[normalize-space(.)='History']");

	static final By COCKPIT_DASHBOARD = By.xpath("//*[normalize-space(text())='Running Process Instances']");

	static final By DIAGRAM = By.cssSelector(".djs-container svg");

	static final By PROCESS_INSTANCE_ROWS = By.cssSelector("table.process-instances tbody tr");

	private final Browser browser;

	CamundaWebapps(Browser browser) {
		this.browser = browser;
	}

	/**
	 * Opens a webapp's login page and submits the form once (never retried: wrong passwords lock
	 * users). Types only once AngularJS has bound the inputs (they carry {@code ng-empty}), and
	 * submits only once both inputs and their models hold exactly what was typed: the page's
	 * {@code autofocus} can pull the focus back to the user name while a slow machine is still
	 * rendering, and keys meant for the password then land in the user name.
	 */
	void submitLogin(String app, String user, String password) {
		this.browser.open(app);
		this.browser.await("login form bound by AngularJS",
				ExpectedConditions.attributeContains(USERNAME, "class", "ng-empty"));
		for (int attempt = 1; !(holds(USERNAME, user) && holds(PASSWORD, password)); attempt++) {
			if (attempt > 3) {
				throw new AssertionError("Could not fill in the login form of " + app);
			}
			typeInto(USERNAME, user);
			typeInto(PASSWORD, password);
		}
		this.browser.clickable(LOG_IN).click();
	}

	private void typeInto(By locator, String text) {
		WebElement input = this.browser.clickable(locator);
		input.click();
		this.browser.await("focus in " + locator, (driver) -> input.equals(driver.switchTo().activeElement()));
		input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
		input.sendKeys(text);
	}

	private boolean holds(By locator, String text) {
		WebElement input = this.browser.driver().findElement(locator);
		String classes = input.getDomAttribute("class");
		return text.equals(input.getDomProperty("value")) && classes != null && classes.contains("ng-not-empty");
	}

	/** Logs in to Tasklist and waits for the filters; a refused login fails at once with its message. */
	void loginToTasklist(String user, String password) {
		submitLogin(TASKLIST, user, password);
		loggedIn(TASK_FILTERS);
	}

	/** Logs in to Cockpit and waits for the dashboard; a refused login fails at once with its message. */
	void loginToCockpit(String user, String password) {
		submitLogin(COCKPIT, user, password);
		loggedIn(COCKPIT_DASHBOARD);
	}

	private void loggedIn(By app) {
		this.browser.await("the webapp after login, or a refusal", (driver) -> !driver.findElements(app).isEmpty()
				|| !driver.findElements(ERROR_NOTIFICATION).isEmpty());
		List<WebElement> refusal = this.browser.driver().findElements(ERROR_NOTIFICATION);
		if (!refusal.isEmpty()) {
			throw new AssertionError("Login refused: " + refusal.get(0).getText());
		}
		this.browser.visible(app);
	}

	/** Focuses a Tasklist filter by its name, as a click in the filter column does. */
	void selectFilter(String name) {
		By filter = By.xpath("//section[contains(@class,'task-filters')]//div[contains(@class,'task-filter')][.//h4[@uib-tooltip='"
				+ name + "']]");
		this.browser.clickable(By.xpath(filterLink(name))).click();
		this.browser.await("filter '" + name + "' focused",
				ExpectedConditions.attributeContains(filter, "class", "active"));
	}

	private static String filterLink(String name) {
		return "//section[contains(@class,'task-filters')]//h4[@uib-tooltip='" + name + "']/a";
	}

	/**
	 * Narrows the focused filter's list to the tasks of one journey, as Tasklist's search
	 * ("Process Instance Business Key = ...") does; the search lives in the URL. Other tests' leads
	 * may fill the first page of a shared filter, so a test never relies on the page alone.
	 */
	void searchByBusinessKey(String businessKey) {
		String query = "[{\"type\":\"processInstanceBusinessKey\",\"operator\":\"eq\",\"value\":\"" + businessKey
				+ "\"}]";
		String encoded = URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
		String url = this.browser.currentUrl();
		String search = url.contains("searchQuery=") ? url.replaceFirst("searchQuery=[^&]*", "searchQuery=" + encoded)
				: url + (url.contains("?") ? "&" : "?") + "searchQuery=" + encoded;
		this.browser.driver().get(search);
		// the search widget shows the criterion, and the list shrinks to the journey's one task
		this.browser.awaitText("Process Instance Business Key", businessKey);
		this.browser.await("only the journey's task in the list",
				(driver) -> driver.findElements(By.cssSelector("ol.tasks-list li.task")).size() == 1);
	}

	/** The entry of a task in the task list of the focused filter; waits for it to appear. */
	WebElement taskInList(String taskId) {
		return this.browser.visible(taskLink(taskId));
	}

	static By taskLink(String taskId) {
		return By.cssSelector("ol.tasks-list li.task a[href*='task=" + taskId + "']");
	}

	/**
	 * Logs in to Tasklist, narrows the filter "Tasks of my groups" to one journey (by its business
	 * key) and opens its task, which the list must show under {@code name}.
	 */
	void openGroupTask(String user, String password, String businessKey, String taskId, String name) {
		loginToTasklist(user, password);
		selectFilter("Tasks of my groups");
		searchByBusinessKey(businessKey);
		assertThat(taskInList(taskId).getText()).isEqualTo(name);
		openTask(taskId);
	}

	/** Opens a task from the list and waits for its Camunda Form. */
	void openTask(String taskId) {
		taskInList(taskId).click();
		this.browser.await("task " + taskId + " opened", ExpectedConditions.urlContains("task=" + taskId));
		this.browser.visible(CAMUNDA_FORM);
	}

	/** Claims the open task and waits until it is the user's (the Claim link goes away). */
	void claim() {
		this.browser.click(CLAIM);
		this.browser.await("task claimed", ExpectedConditions.invisibilityOfElementLocated(CLAIM));
	}

	/** Adds a comment to the open task (Add Comment) and waits until Tasklist has saved it; a refusal fails. */
	void addComment(String message) {
		this.browser.click(ADD_COMMENT);
		this.browser.visible(COMMENT_MESSAGE).sendKeys(message);
		this.browser.click(SAVE_COMMENT);
		this.browser.await("the comment saved, or refused", (driver) -> driver.findElements(COMMENT_MESSAGE).isEmpty()
				|| !driver.findElements(ERROR_NOTIFICATION).isEmpty());
		assertThat(this.browser.driver().findElements(ERROR_NOTIFICATION)).extracting(WebElement::getText).isEmpty();
	}

	/** Opens the History tab of the open task: what happened to it, and its comments. */
	void openHistory() {
		this.browser.click(HISTORY_TAB);
	}

	/** Picks an option of a form-js radio group by its label. */
	void chooseRadio(String label) {
		By radio = By.xpath("//label[contains(@class,'fjs-form-field-label')][normalize-space(.)='" + label
				+ "']/input[@type='radio']");
		this.browser.click(radio);
		this.browser.await("radio '" + label + "' selected", (driver) -> driver.findElement(radio).isSelected());
	}

	/** The input of a form-js field, by the start of its label (a required field's ends in a mark). */
	static By formField(String label) {
		return By.xpath("//label[contains(@class,'fjs-form-field-label')][starts-with(normalize-space(.),'" + label
				+ "')]/following::input[1]");
	}

	/** Types into a form-js text field, found by its label. */
	void fillIn(String label, String text) {
		this.browser.visible(formField(label)).sendKeys(text);
	}

	void complete() {
		this.browser.click(COMPLETE);
	}

	/** The rows of the process instance table on a Cockpit definition page. */
	List<WebElement> processInstanceRows() {
		return this.browser.driver().findElements(PROCESS_INSTANCE_ROWS);
	}

}
