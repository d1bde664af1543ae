package io.nurtureflow.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, for the Camunda webapps as reps and managers use them.
 * Always the system's own Chromium and chromedriver, given by path, so Selenium Manager never
 * downloads anything. Screenshots go to {@code target/screenshots/<name>.png}.
 */
public final class Browser implements AutoCloseable {

	public static final Path CHROMEDRIVER = Path.of(System.getProperty("nurture.chromedriver", "/usr/bin/chromedriver"));

	public static final Path CHROMIUM = Path.of(System.getProperty("nurture.chromium", "/usr/bin/chromium"));

	public static final Path SCREENSHOTS = Path.of("target", "screenshots");

	/** How long a page may take to show what a test waits for ({@code -Dnurture.browser.patience=40} on a slow machine). */
	public static final Duration PATIENCE = Duration.ofSeconds(Long.getLong("nurture.browser.patience", 20));

	private final ChromeDriver driver;

	private final ChromeDriverService service;

	private final Path profile;

	private final String base;

	private Browser(ChromeDriver driver, ChromeDriverService service, Path profile, String base) {
		this.driver = driver;
		this.service = service;
		this.profile = profile;
		this.base = base;
	}

	/** Whether this machine has a chromedriver and a Chromium to drive (CI installs both). */
	public static boolean installed() {
		return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
	}

	/** A fresh browser with an empty profile, for the server on {@code localhost:<port>}. */
	public static Browser start(int port) {
		Path profile;
		try {
			profile = Files.createTempDirectory("nurtureflow-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1400,1000", "--lang=en-US", "--user-data-dir=" + profile);
		options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", "en-US,en"));
		ChromeDriver driver;
		try {
			driver = new ChromeDriver(service, options);
		}
		catch (RuntimeException ex) {
			service.stop();
			delete(profile);
			throw ex;
		}
		// a webapp's first page load brings megabytes of script: give it longer than a wait
		driver.manage().timeouts().pageLoadTimeout(PATIENCE.multipliedBy(3));
		driver.manage().timeouts().scriptTimeout(PATIENCE);
		return new Browser(driver, service, profile, "http://localhost:" + port);
	}

	public WebDriver driver() {
		return this.driver;
	}

	/** Opens a path of the server under test. */
	public void open(String path) {
		this.driver.get(this.base + path);
	}

	public String currentUrl() {
		return this.driver.getCurrentUrl();
	}

	public String pageSource() {
		return this.driver.getPageSource();
	}

	/** The visible text of the whole page. */
	public String text() {
		return this.driver.findElement(By.tagName("body")).getText();
	}

	/** Waits up to {@link #PATIENCE} for a condition, polling briefly. */
	public <T> T await(String what, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, PATIENCE, Duration.ofMillis(100))
			.withMessage(() -> what + " (at " + this.driver.getCurrentUrl() + ")")
			.ignoring(StaleElementReferenceException.class)
			.until((driver) -> {
				try {
					return condition.apply(driver);
				}
				catch (WebDriverException ex) {
					if (replacedWhileAsked(ex)) {
						return null;
					}
					throw ex;
				}
			});
	}

	/**
	 * Whether Chrome answered about a document it was replacing as the question came: an element of the old
	 * page ("does not belong to the document") or a script whose page went away ("context was destroyed").
	 * Both are a stale element by another name, and a wait asks again.
	 */
	private static boolean replacedWhileAsked(WebDriverException ex) {
		String message = String.valueOf(ex.getMessage());
		return message.contains("does not belong to the document") || message.contains("context was destroyed");
	}

	public WebElement visible(By locator) {
		return await("visible: " + locator, ExpectedConditions.visibilityOfElementLocated(locator));
	}

	public WebElement clickable(By locator) {
		return await("clickable: " + locator, ExpectedConditions.elementToBeClickable(locator));
	}

	/** Waits until the page's visible text contains every one of the texts. */
	public void awaitText(String... texts) {
		await("page text containing " + String.join(", ", texts), (driver) -> {
			String body = driver.findElement(By.tagName("body")).getText();
			return Stream.of(texts).allMatch(body::contains);
		});
	}

	/**
	 * Waits for an element, scrolls it to the middle of its scroll pane (the webapps' fixed
	 * header and footer cover the edges) and clicks it.
	 */
	public WebElement click(By locator) {
		WebElement element = clickable(locator);
		((JavascriptExecutor) this.driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
		element = clickable(locator);
		element.click();
		return element;
	}

	/** Clicks with JavaScript, for elements an overlay or animation may still cover. */
	public void jsClick(WebElement element) {
		((JavascriptExecutor) this.driver).executeScript("arguments[0].click();", element);
	}

	/** Saves a screenshot of the window to {@code target/screenshots/<name>.png} and returns it. */
	public Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path target = SCREENSHOTS.resolve(name + ".png");
			File shot = this.driver.getScreenshotAs(OutputType.FILE);
			Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
			Files.deleteIfExists(shot.toPath());
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A screenshot for the README: saved under {@code target/screenshots} like every other, and
	 * copied to {@code <folder>/<docsName>.png} when the build runs with
	 * {@code -Dnurture.docs.screenshots=docs/screenshots} ({@code true} means that folder too), so
	 * an ordinary {@code mvn test} leaves the committed pictures alone.
	 */
	public Path screenshotForDocs(String name, String docsName) {
		Path shot = screenshot(name);
		String folder = System.getProperty("nurture.docs.screenshots", "").trim();
		if (folder.isEmpty() || folder.equals("false")) {
			return shot;
		}
		try {
			Path docs = Files.createDirectories(Path.of(folder.equals("true") ? "docs/screenshots" : folder));
			// written, not copied: the screenshot's own file is private to the test run
			Files.write(docs.resolve(docsName + ".png"), Files.readAllBytes(shot));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return shot;
	}

	/** Resizes the window, e.g. to fit a whole form into a screenshot. */
	public void resize(int width, int height) {
		this.driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
	}

	/** Saves the page's HTML next to its screenshot, to see why a test failed. */
	public Path savePageSource(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			return Files.writeString(SCREENSHOTS.resolve(name + ".html"),
					"<!-- " + this.driver.getCurrentUrl() + " -->\n" + this.driver.getPageSource());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void quit() {
		try {
			this.driver.quit();
		}
		finally {
			this.service.stop();
			delete(this.profile);
		}
	}

	@Override
	public void close() {
		quit();
	}

	private static void delete(Path folder) {
		try (Stream<Path> paths = Files.walk(folder)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary profile left behind does no harm
		}
	}

}
