package io.nurtureflow.config;

import org.camunda.bpm.engine.spring.ProcessEngineFactoryBean;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.util.StringUtils;

/**
 * Makes Flyway wait for the process engine: some migrations index the engine's history tables,
 * which the engine creates on its first start. The web server's filters happen to ask for the
 * engine before Flyway runs; this makes that order a rule instead of a coincidence.
 */
final class FlywayAfterEngine implements BeanFactoryPostProcessor {

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory factory) {
		String[] engines = factory.getBeanNamesForType(ProcessEngineFactoryBean.class, false, false);
		for (String flyway : factory.getBeanNamesForType(FlywayMigrationInitializer.class, false, false)) {
			BeanDefinition definition = factory.getBeanDefinition(flyway);
			for (String engine : engines) {
				definition.setDependsOn(StringUtils.addStringToArray(definition.getDependsOn(),
						BeanFactoryUtils.transformedBeanName(engine)));
			}
		}
	}

}
