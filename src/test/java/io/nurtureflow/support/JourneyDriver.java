package io.nurtureflow.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a lead's journeys the way time and people would: moves the engine clock, runs the jobs
 * that fall due (only the lead's own), completes tasks. Remembers every journey it saw, for the
 * flow-node coverage of the test class.
 */
public final class JourneyDriver {

	private final RuntimeService runtime;

	private final ManagementService management;

	private final TaskService tasks;

	private final HistoryService history;

	private final Set<String> seen = new LinkedHashSet<>();

	public JourneyDriver(RuntimeService runtime, ManagementService management, TaskService tasks,
			HistoryService history) {
		this.runtime = runtime;
		this.management = management;
		this.tasks = tasks;
		this.history = history;
	}

	/** Every journey (running or ended) of the lead, oldest first. */
	public List<String> journeys(UUID lead) {
		List<String> ids = this.history.createHistoricProcessInstanceQuery()
			.processInstanceBusinessKey(lead.toString())
			.orderByProcessInstanceStartTime()
			.asc()
			.list()
			.stream()
			.map(HistoricProcessInstance::getId)
			.toList();
		this.seen.addAll(ids);
		return ids;
	}

	public String journey(UUID lead, String processKey) {
		return this.history.createHistoricProcessInstanceQuery()
			.processInstanceBusinessKey(lead.toString())
			.processDefinitionKey(processKey)
			.orderByProcessInstanceStartTime()
			.desc()
			.list()
			.stream()
			.findFirst()
			.map((instance) -> {
				this.seen.add(instance.getId());
				return instance.getId();
			})
			.orElseThrow(() -> new AssertionError("Lead " + lead + " has no " + processKey + " journey"));
	}

	/** Runs the lead's due jobs, and the ones they create, until its journeys wait for something else. */
	public void settle(UUID lead) {
		for (int round = 0; round < 100; round++) {
			List<Job> due = journeys(lead).stream()
				.flatMap((instance) -> this.management.createJobQuery()
					.processInstanceId(instance)
					.executable()
					.list()
					.stream())
				.toList();
			if (due.isEmpty()) {
				return;
			}
			due.forEach((job) -> this.management.executeJob(job.getId()));
		}
		throw new AssertionError("The journeys of lead " + lead + " kept creating jobs");
	}

	/** Moves the engine clock forward and lets the lead's journeys catch up. */
	public void advance(UUID lead, Duration by) {
		ClockUtil.setCurrentTime(Date.from(now().plus(by)));
		settle(lead);
	}

	public Instant now() {
		return ClockUtil.now().toInstant();
	}

	public Task task(UUID lead, String taskKey) {
		List<Task> open = journeys(lead).stream()
			.flatMap((instance) -> this.tasks.createTaskQuery()
				.processInstanceId(instance)
				.taskDefinitionKey(taskKey)
				.list()
				.stream())
			.toList();
		assertThat(open).as("open %s tasks of lead %s", taskKey, lead).hasSize(1);
		return open.get(0);
	}

	public boolean hasTask(UUID lead, String taskKey) {
		return journeys(lead).stream()
			.anyMatch((instance) -> this.tasks.createTaskQuery()
				.processInstanceId(instance)
				.taskDefinitionKey(taskKey)
				.count() > 0);
	}

	/** Completes the task as the form would, then lets the journeys go on. */
	public void complete(UUID lead, String taskKey, Map<String, Object> form) {
		this.tasks.complete(task(lead, taskKey).getId(), form);
		settle(lead);
	}

	public List<String> waitingAt(String instance) {
		return this.runtime.createProcessInstanceQuery().processInstanceId(instance).count() == 0 ? List.of()
				: this.runtime.getActiveActivityIds(instance);
	}

	public boolean passed(String instance, String activityId) {
		return this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(instance)
			.activityId(activityId)
			.count() > 0;
	}

	public boolean ended(String instance) {
		return this.runtime.createProcessInstanceQuery().processInstanceId(instance).count() == 0;
	}

	public Set<String> seen() {
		return this.seen;
	}

	public static void resetClock() {
		ClockUtil.reset();
	}

	public static void startClockAt(Instant at) {
		ClockUtil.setCurrentTime(Date.from(at));
	}

	/** Durations as the journeys' settings give them, for the tests to move time by. */
	public static Duration days(int days) {
		return Duration.ofDays(days);
	}

}
