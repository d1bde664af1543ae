package io.nurtureflow.security;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.AbstractQuery;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationManager;
import org.camunda.bpm.engine.impl.persistence.entity.util.AuthManagerUtil;

import org.springframework.stereotype.Component;

/**
 * Lets whoever may work a task read that task's history, which Tasklist asks for before it adds or
 * shows a comment and on the task's History tab (its operation log): the engine grants READ on a
 * task's history ({@code HISTORIC_TASK}) to each group and user it grants the task, and the history
 * cleanup removes the grant with the task's history.
 * <p>
 * The engine would also let that grant read the variables, and each of their changes, of the
 * task's whole journey, before and after the task, until the journey's history goes: those stay
 * for who may read the journey's history, as without the grant.
 */
@Component
class TaskHistoryGrants extends AbstractProcessEnginePlugin {

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		// the narrowest grant that works: READ_HISTORY opens every journey, HISTORIC_TASK * every group's tasks
		configuration.setEnableHistoricInstancePermissions(true);
		List<SessionFactory> factories = new ArrayList<>();
		if (configuration.getCustomSessionFactories() != null) {
			factories.addAll(configuration.getCustomSessionFactories());
		}
		factories.add(new SessionFactory() {

			@Override
			public Class<?> getSessionType() {
				return AuthorizationManager.class;
			}

			@Override
			public Session openSession() {
				return new JourneyVariablesByDefinition();
			}

		});
		configuration.setCustomSessionFactories(factories);
	}

	/** The engine's authorization checks, with a journey's variable history checked on its definition only. */
	static final class JourneyVariablesByDefinition extends AuthorizationManager {

		@Override
		@SuppressWarnings("rawtypes") // as the engine declares it
		protected void configureHistoricVariableAndDetailQuery(AbstractQuery query) {
			query.getAuthCheck().setHistoricInstancePermissionsEnabled(false);
			configureQuery(query, Resources.PROCESS_DEFINITION, "RES.PROC_DEF_KEY_",
					AuthManagerUtil.getVariablePermissions(isEnsureSpecificVariablePermission())
						.getProcessDefinitionPermission());
		}

	}

}
