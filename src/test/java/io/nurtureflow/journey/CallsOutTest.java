package io.nurtureflow.journey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.SendTask;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every step of the shipped diagrams that calls out of the server (SMTP, Twilio) runs as a job
 * of its own with the touches' retry cycle: an outage becomes retries a minute apart and then an
 * incident in Cockpit, not three immediate failures.
 */
class CallsOutTest {

	private static final Set<String> CALLING_OUT = Set.of("${sendEmail}", "${sendSms}", "${notifyManagers}");

	@Test
	void everyStepThatCallsOutIsItsOwnJobWithTheTouchesRetryCycle() throws IOException {
		List<String> steps = new ArrayList<>();
		try (Stream<Path> diagrams = Files.list(Path.of("bpmn"))) {
			for (Path diagram : diagrams.filter((p) -> p.toString().endsWith(".bpmn")).sorted().toList()) {
				var model = Bpmn.readModelFromFile(diagram.toFile());
				List<Activity> tasks = new ArrayList<>(model.getModelElementsByType(ServiceTask.class));
				tasks.addAll(model.getModelElementsByType(SendTask.class));
				for (Activity task : tasks) {
					String delegate = task.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "delegateExpression");
					if (delegate == null || !CALLING_OUT.contains(delegate)) {
						continue;
					}
					steps.add(diagram.getFileName() + "#" + task.getId());
					assertThat(task.isCamundaAsyncBefore()).as(task.getId() + " is asynchronous before").isTrue();
					assertThat(task.getExtensionElements()).as(task.getId() + " has a retry cycle").isNotNull();
					var cycles = task.getExtensionElements()
						.getElementsQuery()
						.filterByType(CamundaFailedJobRetryTimeCycle.class)
						.list();
					assertThat(cycles).as(task.getId() + " has a retry cycle").hasSize(1);
					assertThat(cycles.get(0).getTextContent()).as(task.getId()).isEqualTo("${touchSettings.retryCycle}");
				}
			}
		}
		assertThat(steps).contains("lead-nurture.bpmn#Task_NotifyManagers", "lead-nurture.bpmn#Task_SendAcknowledgement");
	}

}
