package io.nurtureflow.support;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One group of settings bound and validated the way a node binds them at start, without the rest
 * of the application: for the tests of what a setting accepts and what stops the start.
 */
public final class Settings {

	private Settings() {
	}

	/**
	 * A context of validation and {@code configuration} alone; the configuration names the
	 * settings under test in its {@code @EnableConfigurationProperties}.
	 */
	public static ApplicationContextRunner bound(Class<?> configuration) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(configuration);
	}

	/** Starts with {@code settings}, asserts the start failed, and answers what its first cause said. */
	public static String refusalOf(ApplicationContextRunner context, String... settings) {
		AtomicReference<String> refusal = new AtomicReference<>();
		context.withPropertyValues(settings).run((started) -> {
			assertThat(started).as("a start with %s", Arrays.toString(settings)).hasFailed();
			refusal.set(NestedExceptionUtils.getMostSpecificCause(started.getStartupFailure()).getMessage());
		});
		return refusal.get();
	}

}
