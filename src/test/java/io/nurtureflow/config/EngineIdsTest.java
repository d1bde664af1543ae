package io.nurtureflow.config;

import io.nurtureflow.support.NurtureflowTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine makes its ids with {@link NodeUniqueIdGenerator}, not the starter's default. */
@NurtureflowTest
class EngineIdsTest {

	@Autowired
	ProcessEngine engine;

	@Test
	void theEngineMakesItsIdsUniqueAcrossNodesOnOneHost() {
		var configuration = (ProcessEngineConfigurationImpl) this.engine.getProcessEngineConfiguration();

		assertThat(configuration.getIdGenerator()).isInstanceOf(NodeUniqueIdGenerator.class);
		assertThat(this.engine.getRepositoryService().createDeploymentQuery().list())
			.allSatisfy((deployment) -> assertThat(deployment.getId()).hasSize(36));
	}

}
