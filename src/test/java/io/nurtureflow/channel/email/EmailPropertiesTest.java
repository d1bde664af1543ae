package io.nurtureflow.channel.email;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class EmailPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

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
	@CsvSource(delimiter = '|', textBlock = """
			from=Nurtureflow                          | NURTURE_MAIL_FROM must be an email address
			from=Nurtureflow <hello at example.com>   | NURTURE_MAIL_FROM must be an email address
			from=a@b.example, c@d.example             | NURTURE_MAIL_FROM must be an email address
			manager-emails=ana@acme.example,bo        | NURTURE_MANAGER_EMAILS must be an email address
			smtp-port=0                               | smtpPort
			smtp-port=70000                           | smtpPort
			timeout=0s                                | timeout
			""")
	void aSenderOrServerNoMessageCouldUseStopsTheStartNamingIt(String setting, String refusal) {
		assertThat(Settings.refusalOf(this.context, "nurture.email." + setting)).contains(refusal);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EmailProperties.class)
	static class Properties {

	}

}
