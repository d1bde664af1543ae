package io.nurtureflow.journey;

import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.lead.LeadStage;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A customer journey that ends at "Not renewing" leaves its lead {@code CHURNED}, on every
 * deployed version of {@code customer-nurture}. The diagram draws this as <em>Mark churned</em>;
 * journeys last a contract term, and those started on a version drawn before that step end
 * without it. Attached by the engine to every {@code EndEvent_NotRenewing} it parses, as a
 * built-in listener, it moves only a lead still at {@code CUSTOMER}: after the diagram's step it
 * finds the lead churned already and does nothing.
 */
@Component
class NotRenewingIsChurned extends AbstractProcessEnginePlugin implements ExecutionListener {

	/** Looked up when a journey ends: the database access beans wait for the engine (Flyway runs after it). */
	private final ObjectProvider<LeadRepository> leads;

	NotRenewingIsChurned(ObjectProvider<LeadRepository> leads) {
		this.leads = leads;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		ParseListeners.append(configuration, new AbstractBpmnParseListener() {

			@Override
			public void parseEndEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
				if (LeadNurture.END_NOT_RENEWING.equals(activity.getId())
						&& activity.getProcessDefinition() instanceof ProcessDefinitionEntity definition
						&& LeadNurture.CUSTOMER_PROCESS_KEY.equals(definition.getKey())) {
					activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, NotRenewingIsChurned.this);
				}
			}

		});
	}

	@Override
	public void notify(DelegateExecution execution) {
		this.leads.getObject().updateStage(LeadNurture.leadId(execution), LeadStage.CUSTOMER, LeadStage.CHURNED);
	}

}
