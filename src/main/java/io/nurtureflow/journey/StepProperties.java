package io.nurtureflow.journey;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * The extension properties a designer sets on a step in Modeler ("Extension properties"). A
 * deployed definition never changes, so what a step of a definition says is read from its model
 * once and remembered: sending steps ask on every touch.
 */
final class StepProperties {

	/** More than this many (definition, step, name) answers and the memory starts afresh. */
	private static final int REMEMBERED = 10_000;

	private static final Map<String, Optional<String>> READ = new ConcurrentHashMap<>();

	private StepProperties() {
	}

	static Optional<String> get(DelegateExecution execution, String name) {
		String key = execution.getProcessDefinitionId() + '\n' + execution.getCurrentActivityId() + '\n' + name;
		Optional<String> value = READ.get(key);
		if (value == null) {
			value = read(execution, name);
			if (READ.size() >= REMEMBERED) {
				READ.clear();
			}
			READ.put(key, value);
		}
		return value;
	}

	private static Optional<String> read(DelegateExecution execution, String name) {
		BaseElement step = execution.getBpmnModelElementInstance();
		if (step == null || step.getExtensionElements() == null) {
			return Optional.empty();
		}
		return step.getExtensionElements()
			.getElementsQuery()
			.filterByType(CamundaProperties.class)
			.list()
			.stream()
			.flatMap((properties) -> properties.getCamundaProperties().stream())
			.filter((property) -> name.equals(property.getCamundaName()))
			.map(CamundaProperty::getCamundaValue)
			.findFirst();
	}

	static String required(DelegateExecution execution, String name) {
		return get(execution, name).orElseThrow(() -> new IllegalStateException(
				"Step " + execution.getCurrentActivityId() + " has no '" + name + "' extension property"));
	}

}
