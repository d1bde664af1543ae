package io.nurtureflow.journey;

import java.util.Set;

import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Every sending step ({@code ${sendEmail}}, {@code ${sendSms}}) runs as a job of its own, as the
 * diagrams draw it ({@code camunda:asyncBefore}), also in a diagram that leaves it out. The
 * dispatcher commits a touch's claim and its result in transactions of their own, and both take
 * the lead's row: run inside the transaction of a click or a scoring step that changed the lead
 * before it, they would wait for that transaction, which waits for them. A job of its own also
 * keeps a provider's outage out of the request that moved the journey, and its retry repeats the
 * send only.
 */
@Component
class OwnJobPerTouch extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(OwnJobPerTouch.class);

	static final Set<String> SENDING_DELEGATES = Set.of("${sendEmail}", "${sendSms}");

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		ParseListeners.append(configuration, new AbstractBpmnParseListener() {

			@Override
			public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
				ownJob(element, activity);
			}

			@Override
			public void parseSendTask(Element element, ScopeImpl scope, ActivityImpl activity) {
				ownJob(element, activity);
			}

		});
	}

	private static void ownJob(Element element, ActivityImpl activity) {
		String delegate = element.attributeNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS,
				BpmnParse.PROPERTYNAME_DELEGATE_EXPRESSION);
		if (delegate == null || !SENDING_DELEGATES.contains(delegate.strip()) || activity.isAsyncBefore()) {
			return;
		}
		log.warn("Sending step {} of {} runs as a job of its own although the diagram does not say so: "
				+ "set 'Asynchronous before' (camunda:asyncBefore) on it in Modeler", activity.getId(),
				(activity.getProcessDefinition() instanceof ProcessDefinitionEntity definition) ? definition.getKey()
						: "its process");
		activity.setAsyncBefore(true);
	}

}
