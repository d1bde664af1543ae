package io.nurtureflow.browser;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Gives a browser test a fresh {@link Browser} for the server under test, screenshots the page
 * when the test ends (passed or failed, plus the page's HTML on failure) and quits the browser.
 * Without chromedriver and Chromium on the machine every browser test is skipped: {@code mvn test}
 * needs only Java and Maven, CI installs the browser.
 */
public class BrowserExtension implements BeforeEachCallback, ParameterResolver, AfterTestExecutionCallback,
		AfterEachCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(BrowserExtension.class);

	/**
	 * Per test rather than per class: Surefire reports a skipped test with its reason, but drops
	 * a class aborted before its first test without a word. (The server context this costs is the
	 * one every other {@code @NurtureflowTest} shares.)
	 */
	@Override
	public void beforeEach(ExtensionContext context) {
		Assumptions.assumeTrue(Browser.installed(), () -> "Browser tests need " + Browser.CHROMEDRIVER + " and "
				+ Browser.CHROMIUM + " (apt-get install chromium chromium-driver)");
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == Browser.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return context.getStore(NAMESPACE).getOrComputeIfAbsent(Browser.class, (key) -> {
			String port = SpringExtension.getApplicationContext(context).getEnvironment().getProperty("local.server.port");
			return Browser.start(Integer.parseInt(port));
		}, Browser.class);
	}

	@Override
	public void afterTestExecution(ExtensionContext context) {
		Browser browser = context.getStore(NAMESPACE).get(Browser.class, Browser.class);
		if (browser == null) {
			return;
		}
		String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
		try {
			var shot = browser.screenshot(name);
			if (context.getExecutionException().isPresent()) {
				var html = browser.savePageSource(name);
				System.out.println("Browser test failed at " + browser.currentUrl() + "; see " + shot.toAbsolutePath()
						+ " and " + html.toAbsolutePath());
			}
		}
		catch (RuntimeException ex) {
			System.out.println("Could not save the screenshot of " + name + ": " + ex);
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		Browser browser = context.getStore(NAMESPACE).remove(Browser.class, Browser.class);
		if (browser != null) {
			browser.quit();
		}
	}

}
