package io.nurtureflow.config;

import java.time.Clock;

import org.camunda.bpm.engine.impl.cfg.IdGenerator;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class NurtureflowConfiguration {

	@Bean
	Clock clock() {
		return new EngineClock();
	}

	/** Replaces the starter's {@code StrongUuidGenerator}: ids unique across nodes on one host. */
	@Bean
	IdGenerator idGenerator() {
		return new NodeUniqueIdGenerator();
	}

	/** Static: it post-processes the data source, so it must exist before any other bean. */
	@Bean
	static StartupLock startupLock() {
		return new StartupLock();
	}

	@Bean
	static BeanFactoryPostProcessor flywayAfterEngine() {
		return new FlywayAfterEngine();
	}

}
