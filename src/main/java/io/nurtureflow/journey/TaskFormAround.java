package io.nurtureflow.journey;

import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.form.handler.TaskFormHandler;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * The engine's form handler of a user task, left to show and parse the form as it does; a
 * subclass adds what happens around a submission ({@link #submitFormVariables}).
 */
abstract class TaskFormAround implements TaskFormHandler {

	final TaskFormHandler engines;

	TaskFormAround(TaskFormHandler engines) {
		this.engines = engines;
	}

	@Override
	public TaskFormData createTaskForm(TaskEntity task) {
		return this.engines.createTaskForm(task);
	}

	@Override
	public void parseConfiguration(Element activityElement, DeploymentEntity deployment,
			ProcessDefinitionEntity processDefinition, BpmnParse bpmnParse) {
		this.engines.parseConfiguration(activityElement, deployment, processDefinition, bpmnParse);
	}

}
