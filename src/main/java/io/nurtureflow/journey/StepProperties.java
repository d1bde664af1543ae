package io.nurtureflow.journey;

import java.util.Optional;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/** The extension properties a designer sets on a step in Modeler ("Extension properties"). */
final class StepProperties {

	private StepProperties() {
	}

	static Optional<String> get(DelegateExecution execution, String name) {
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
