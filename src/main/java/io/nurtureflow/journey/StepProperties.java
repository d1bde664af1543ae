package io.nurtureflow.journey;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * The extension properties a designer sets on a step in Modeler ("Extension properties"), and
 * how the step is scheduled. A deployed definition never changes, so what a step of a definition
 * says is read from its model once and remembered (a few entries per step of each deployed
 * version): sending steps ask on every touch.
 */
final class StepProperties {

	private static final Map<String, Optional<String>> PROPERTIES = new ConcurrentHashMap<>();

	private static final Map<String, Boolean> ASYNC_AFTER = new ConcurrentHashMap<>();

	private StepProperties() {
	}

	static Optional<String> get(DelegateExecution execution, String name) {
		return PROPERTIES.computeIfAbsent(step(execution) + '\n' + name, (key) -> read(execution, name));
	}

	/**
	 * Whether the step continues in a job of its own (async after). Journeys started on a version
	 * deployed by an earlier Nurtureflow have such sending steps.
	 */
	static boolean asyncAfter(DelegateExecution execution) {
		return ASYNC_AFTER.computeIfAbsent(step(execution),
				(key) -> execution.getBpmnModelElementInstance() instanceof FlowNode node && node.isCamundaAsyncAfter());
	}

	private static String step(DelegateExecution execution) {
		return execution.getProcessDefinitionId() + '\n' + execution.getCurrentActivityId();
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
