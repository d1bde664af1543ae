package io.nurtureflow.web;

import io.nurtureflow.support.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class LimitsPropertiesTest {

	private final ApplicationContextRunner context = Settings.bound(Properties.class);

	@Test
	void byDefaultBodiesAreCappedByKind() {
		this.context.run((context) -> {
			LimitsProperties limits = context.getBean(LimitsProperties.class);

			assertThat(limits.jsonBody()).isEqualTo(DataSize.ofKilobytes(256));
			assertThat(limits.csvBody()).isEqualTo(DataSize.ofMegabytes(50));
			assertThat(limits.inboundBody()).isEqualTo(DataSize.ofMegabytes(30));
			assertThat(limits.publicBody()).isEqualTo(DataSize.ofKilobytes(16));
		});
	}

	@Test
	void theSmallestBodyLimitIsAKilobyte() {
		this.context.withPropertyValues("nurture.limits.public-body=1KB")
			.run((context) -> assertThat(context.getBean(LimitsProperties.class).publicBody())
				.isEqualTo(DataSize.ofKilobytes(1)));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			json-body=0B            | NURTURE_LIMIT_JSON_BODY must be at least 1KB, not 0B
			csv-body=-1MB           | NURTURE_LIMIT_CSV_BODY must be at least 1KB
			inbound-body=512B       | NURTURE_LIMIT_INBOUND_BODY must be at least 1KB, not 512B
			public-body=1023B       | NURTURE_LIMIT_PUBLIC_BODY must be at least 1KB, not 1023B
			tracking-per-minute=-1  | trackingPerMinute
			rate-clients=99         | rateClients
			""")
	void aLimitNoRequestCouldPassStopsTheStartNamingIt(String setting, String refusal) {
		assertThat(Settings.refusalOf(this.context, "nurture.limits." + setting)).contains(refusal);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(LimitsProperties.class)
	static class Properties {

	}

}
