package io.nurtureflow.journey;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.form.CamundaFormRef;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.GetCamundaFormDefinitionCmd;
import org.camunda.bpm.engine.impl.cmd.GetDeploymentResourceCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.form.handler.TaskFormHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.task.TaskDefinition;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.repository.CamundaFormDefinition;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;

import org.springframework.stereotype.Component;

/**
 * Checks a submitted Camunda Form against the form itself before the engine stores anything
 * ({@link CamundaFormRules}): a value of the wrong type, an option the form does not list, a
 * required field missing refuse the submission ({@link FormRefused}, which the REST API answers
 * {@code 400} with what was wrong), so the task stays open and nothing of it is stored. Attached to
 * every user task with a {@code camunda:formRef} the engine parses, around the form handler the
 * engine calls with exactly what was submitted ({@code submit-form}, {@code FormService}); a
 * completion without the form ({@code complete}) is not checked.
 */
@Component
class CheckedFormSubmissions extends AbstractProcessEnginePlugin {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		ParseListeners.append(configuration, new AbstractBpmnParseListener() {

			@Override
			public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
				if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior user
						&& user.getTaskDefinition().getFormDefinition() != null
						&& user.getTaskDefinition().getFormDefinition().getCamundaFormDefinitionKey() != null) {
					TaskDefinition task = user.getTaskDefinition();
					task.setTaskFormHandler(new Checked(task.getTaskFormHandler()));
				}
			}

		});
	}

	/** The engine's form handler, with the submission checked first. */
	private static final class Checked extends TaskFormAround {

		Checked(TaskFormHandler engines) {
			super(engines);
		}

		@Override
		public void submitFormVariables(VariableMap properties, VariableScope scope) {
			if (scope instanceof TaskEntity task) {
				JsonNode form = form(this.engines.createTaskForm(task));
				if (form != null) {
					refuseUnlessValid(form, properties, task);
				}
			}
			this.engines.submitFormVariables(properties, scope);
		}

		private static void refuseUnlessValid(JsonNode form, VariableMap submitted, TaskEntity task) {
			// a condition reads what the task knows, as the form showed it, and what the rep changed
			Map<String, Object> shown = new HashMap<>(task.getVariables());
			shown.putAll(submitted);
			FeelEngine feel = ((DefaultDmnEngineConfiguration) Context.getProcessEngineConfiguration()
				.getDmnEngineConfiguration()).getFeelEngine();
			List<String> problems = CamundaFormRules.problems(form, submitted, (hide) -> {
				try {
					return Boolean.TRUE.equals(feel.evaluateSimpleExpression(hide, Variables.fromMap(shown).asVariableContext()));
				}
				catch (RuntimeException ex) {
					// a condition that cannot be told: the field may be hidden, so it is not asked for
					return true;
				}
			});
			if (!problems.isEmpty()) {
				throw new FormRefused("The form '" + form.path("id").asText() + "' cannot be submitted: "
						+ String.join("; ", problems) + ".");
			}
		}

		/** The deployed Camunda Form of the task, or null when it has none the engine can find. */
		private static JsonNode form(TaskFormData data) {
			CamundaFormRef ref = (data != null) ? data.getCamundaFormRef() : null;
			if (ref == null) {
				return null;
			}
			CommandContext command = Context.getCommandContext();
			CamundaFormDefinition definition = command
				.runWithoutAuthorization(new GetCamundaFormDefinitionCmd(ref, data.getDeploymentId()));
			if (definition == null) {
				return null;
			}
			try (InputStream json = command.runWithoutAuthorization(
					new GetDeploymentResourceCmd(definition.getDeploymentId(), definition.getResourceName()))) {
				return JSON.readTree(json);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/** A submission the form does not allow: the rep's (or client's) to fix, so a client error. */
	static final class FormRefused extends BadUserRequestException {

		FormRefused(String message) {
			super(message);
		}

	}

}
