package io.nurtureflow.channel.email;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class EmailPropertiesTest {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	@Test
	void byDefaultEmailIsRecordedFromALocalSender() {
		this.context.run((context) -> {
			EmailProperties email = context.getBean(EmailProperties.class);

			assertThat(email.configured()).isFalse();
			assertThat(email.from()).isEqualTo("Nurtureflow <hello@localhost>");
			assertThat(email.managerEmails()).isEmpty();
		});
	}

	@Test
	void aSenderAndManagersWithAddressesAreTakenAsGiven() {
		this.context
			.withPropertyValues("nurture.email.smtp-host=smtp.example.com", "nurture.email.smtp-port=465",
					"nurture.email.from=\"Acme, Sales\" <sales@acme.example>",
					"nurture.email.manager-emails=ana@acme.example,Bo <bo@acme.example>")
			.run((context) -> {
				EmailProperties email = context.getBean(EmailProperties.class);

				assertThat(email.configured()).isTrue();
				assertThat(email.from()).isEqualTo("\"Acme, Sales\" <sales@acme.example>");
				assertThat(email.managerEmails()).containsExactly("ana@acme.example", "Bo <bo@acme.example>");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "from=Nurtureflow|NURTURE_MAIL_FROM",
			"from=Nurtureflow <hello at example.com>|NURTURE_MAIL_FROM",
			"from=a@b.example, c@d.example|NURTURE_MAIL_FROM",
			"manager-emails=ana@acme.example,bo|NURTURE_MANAGER_EMAILS", "smtp-port=0|smtpPort",
			"smtp-port=70000|smtpPort", "timeout=0s|timeout" })
	void aSenderOrServerNoMessageCouldUseStopsTheStartNamingIt(String settingAndMessage) {
		String setting = settingAndMessage.substring(0, settingAndMessage.indexOf('|'));
		String named = settingAndMessage.substring(settingAndMessage.indexOf('|') + 1);
		this.context.withPropertyValues("nurture.email." + setting).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().message().contains(named);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EmailProperties.class)
	static class Properties {

	}

}
