package io.nurtureflow.journey;

import java.time.Clock;

import io.nurtureflow.lead.LeadMilestone;
import io.nurtureflow.lead.LeadRepository;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Keeps the lead's {@code first_call_at} milestone: when a rep completes the lead's first "Call
 * new lead" task, its time goes on the lead row, where speed to lead reads it. Attached by the
 * engine to every {@code Task_CallNewLead} it parses, as a built-in listener, so it holds for every
 * deployed version of the diagram, also for journeys that started before it existed, and does not
 * depend on what a designer keeps in the model.
 */
@Component
class FirstCallMilestone extends AbstractProcessEnginePlugin implements TaskListener {

	/** Looked up when a task completes: the database access beans wait for the engine (Flyway runs after it). */
	private final ObjectProvider<LeadRepository> leads;

	private final Clock clock;

	FirstCallMilestone(ObjectProvider<LeadRepository> leads, Clock clock) {
		this.leads = leads;
		this.clock = clock;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		ParseListeners.append(configuration, new AbstractBpmnParseListener() {

			@Override
			public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
				if (LeadNurture.TASK_CALL_NEW_LEAD.equals(activity.getId())
						&& activity.getActivityBehavior() instanceof UserTaskActivityBehavior task) {
					task.getTaskDefinition().addBuiltInTaskListener(TaskListener.EVENTNAME_COMPLETE, FirstCallMilestone.this);
				}
			}

		});
	}

	@Override
	public void notify(DelegateTask task) {
		this.leads.getObject()
			.reachedMilestone(LeadNurture.leadId(task.getExecution()), LeadMilestone.FIRST_CALL, this.clock.instant());
	}

}
