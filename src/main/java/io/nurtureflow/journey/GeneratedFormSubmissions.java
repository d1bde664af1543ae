package io.nurtureflow.journey;

import java.util.List;
import java.util.function.Supplier;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.form.FormField;
import org.camunda.bpm.engine.form.StartFormData;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.form.handler.StartFormHandler;
import org.camunda.bpm.engine.impl.form.handler.TaskFormHandler;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.task.TaskDefinition;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.variable.VariableMap;

import org.springframework.stereotype.Component;

/**
 * Refuses as the client's error a submission of a generated form ({@code camunda:formData}, which a
 * designer may add to a user task or a start event in Camunda Modeler; the journeys' diagrams use
 * Camunda Forms) with a value one of its fields' types cannot take. The engine refuses such a value
 * with a bare exception that names no field ({@link NumberFormatException} for text in a
 * {@code long}), which the REST API answers 500; around the engine's form handler of each task and
 * start event with generated fields, that refusal is told as {@link ValueRefused}, naming the field
 * and what it takes ({@link GeneratedFormValues}), which the REST API answers 400. A failure of
 * anything else keeps its exception, and a good submission passes untouched. What a field's
 * constraint refuses the engine tells in its own exception, which {@link RequestFaults} answers.
 */
@Component
class GeneratedFormSubmissions extends AbstractProcessEnginePlugin {

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		ParseListeners.append(configuration, new AbstractBpmnParseListener() {

			@Override
			public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
				if (hasFormFields(element) && activity.getActivityBehavior() instanceof UserTaskActivityBehavior user) {
					TaskDefinition task = user.getTaskDefinition();
					task.setTaskFormHandler(new CheckedTaskForm(task.getTaskFormHandler()));
				}
			}

			@Override
			public void parseStartEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
				if (hasFormFields(element) && scope instanceof ProcessDefinitionEntity definition
						&& definition.getInitial() == activity && definition.getStartFormHandler() != null) {
					definition.setStartFormHandler(new CheckedStartForm(definition.getStartFormHandler()));
				}
			}

		});
	}

	private static boolean hasFormFields(Element element) {
		Element extensions = element.element("extensionElements");
		Element formData = (extensions != null) ? extensions.elementNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "formData")
				: null;
		return formData != null && !formData.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "formField").isEmpty();
	}

	/**
	 * The refusal of the submitted value that caused the engine's failure, or the failure as it was
	 * where no submitted value did (a default value of the diagram's that its field's type cannot
	 * take, a form that cannot be read back): those are faults of the diagram, not of the request.
	 */
	private static RuntimeException told(RuntimeException failure, VariableMap submitted,
			Supplier<List<FormField>> fields) {
		if (!GeneratedFormValues.refusedByAFieldsType(failure)) {
			return failure;
		}
		List<FormField> form;
		try {
			form = fields.get();
		}
		catch (RuntimeException unreadable) {
			failure.addSuppressed(unreadable);
			return failure;
		}
		String refused = GeneratedFormValues.whatWasWrong(form, submitted);
		return (refused != null) ? new ValueRefused(refused, failure) : failure;
	}

	private static final class CheckedTaskForm extends TaskFormAround {

		CheckedTaskForm(TaskFormHandler engines) {
			super(engines);
		}

		@Override
		public void submitFormVariables(VariableMap properties, VariableScope scope) {
			try {
				this.engines.submitFormVariables(properties, scope);
			}
			catch (ProcessEngineException | NumberFormatException ex) {
				if (!(scope instanceof TaskEntity task)) {
					throw ex;
				}
				throw told(ex, properties, () -> this.engines.createTaskForm(task).getFormFields());
			}
		}

	}

	private record CheckedStartForm(StartFormHandler engines) implements StartFormHandler {

		@Override
		public StartFormData createStartFormData(ProcessDefinitionEntity processDefinition) {
			return this.engines.createStartFormData(processDefinition);
		}

		@Override
		public void parseConfiguration(Element activityElement, DeploymentEntity deployment,
				ProcessDefinitionEntity processDefinition, BpmnParse bpmnParse) {
			this.engines.parseConfiguration(activityElement, deployment, processDefinition, bpmnParse);
		}

		@Override
		public void submitFormVariables(VariableMap properties, VariableScope scope) {
			try {
				this.engines.submitFormVariables(properties, scope);
			}
			catch (ProcessEngineException | NumberFormatException ex) {
				if (!(scope instanceof ExecutionEntity journey)) {
					throw ex;
				}
				throw told(ex, properties,
						() -> this.engines.createStartFormData(journey.getProcessDefinition()).getFormFields());
			}
		}

	}

	/** A value a generated form's field cannot take: the client's to fix, so a client error. */
	static final class ValueRefused extends BadUserRequestException {

		ValueRefused(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
