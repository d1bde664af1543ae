package io.nurtureflow.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;

import org.springframework.stereotype.Component;

/**
 * The engine's history at level {@code full}, less the variable rows nobody reads back: the
 * touch counters and the cadence's plan for its next touch (plumbing; the ledger is the record
 * of every touch made, with its channel and content), and the call sheet a call task carries
 * (copies of the lead's details, which must not outlive the lead in the history tables after it
 * is erased). Every other history row is written as the engine writes it; the level stored in
 * the database stays {@code full}.
 */
@Component
class JourneyHistory extends AbstractProcessEnginePlugin {

	/** The cadence's plan for its next touch, rewritten at every step. */
	static final Set<String> PLAN = Set.of(LeadNurture.TOUCH_CHANNEL, LeadNurture.TOUCH_CONTENT, LeadNurture.TOUCH_WAIT);

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		configuration.setEnableDefaultDbHistoryEventHandler(false);
		List<HistoryEventHandler> handlers = new ArrayList<>();
		if (configuration.getCustomHistoryEventHandlers() != null) {
			handlers.addAll(configuration.getCustomHistoryEventHandlers());
		}
		handlers.add(new WithoutPlumbing());
		configuration.setCustomHistoryEventHandlers(handlers);
	}

	/** Whether the engine's history keeps this variable. */
	static boolean kept(String variable, String taskId) {
		if (variable.startsWith(LeadNurture.TOUCH_SEQUENCE + "_") || PLAN.contains(variable)) {
			return false;
		}
		return taskId == null || !PrepareCallTask.CALL_SHEET.contains(variable);
	}

	/** The engine's own database handler, skipping the variables {@link #kept} rules out. */
	static final class WithoutPlumbing extends DbHistoryEventHandler {

		@Override
		public void handleEvent(HistoryEvent event) {
			if (event instanceof HistoricVariableUpdateEventEntity variable
					&& !kept(variable.getVariableName(), variable.getTaskId())) {
				return;
			}
			super.handleEvent(event);
		}

	}

}
