package io.nurtureflow.journey;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/** The engine's list of BPMN parse listeners that run after its own, shared by the plugins that add one. */
final class ParseListeners {

	private ParseListeners() {
	}

	/** Adds a listener after those already configured, before the engine is built. */
	static void append(ProcessEngineConfigurationImpl configuration, BpmnParseListener listener) {
		List<BpmnParseListener> listeners = new ArrayList<>();
		if (configuration.getCustomPostBPMNParseListeners() != null) {
			listeners.addAll(configuration.getCustomPostBPMNParseListeners());
		}
		listeners.add(listener);
		configuration.setCustomPostBPMNParseListeners(listeners);
	}

}
