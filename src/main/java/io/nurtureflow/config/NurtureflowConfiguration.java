package io.nurtureflow.config;

import java.time.Clock;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class NurtureflowConfiguration {

	@Bean
	Clock clock() {
		return new EngineClock();
	}

	@Bean
	static BeanFactoryPostProcessor flywayAfterEngine() {
		return new FlywayAfterEngine();
	}

}
