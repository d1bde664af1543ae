package io.nurtureflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;

/**
 * Flow-node coverage of one diagram, counted from the engine's history of the journeys a test
 * class drove: which of the diagram's flow nodes (tasks, events, gateways, sub-processes) any
 * of them passed. Written to {@code target/process-coverage/<key>.txt} and printed.
 */
public final class FlowNodeCoverage {

	private final String processKey;

	private final Set<String> nodes;

	private final Set<String> passed;

	private FlowNodeCoverage(String processKey, Set<String> nodes, Set<String> passed) {
		this.processKey = processKey;
		this.nodes = nodes;
		this.passed = passed;
	}

	public static FlowNodeCoverage of(String processKey, Collection<String> instanceIds, RepositoryService repository,
			HistoryService history) {
		var definition = repository.createProcessDefinitionQuery()
			.processDefinitionKey(processKey)
			.latestVersion()
			.singleResult();
		BpmnModelInstance model = repository.getBpmnModelInstance(definition.getId());
		Set<String> nodes = model.getModelElementsByType(FlowNode.class)
			.stream()
			.map(FlowNode::getId)
			.collect(Collectors.toCollection(TreeSet::new));
		Set<String> passed = new TreeSet<>();
		for (String instance : instanceIds) {
			history.createHistoricActivityInstanceQuery()
				.processInstanceId(instance)
				.list()
				.stream()
				.filter((activity) -> definition.getId().equals(activity.getProcessDefinitionId()))
				.map(HistoricActivityInstance::getActivityId)
				.filter(nodes::contains)
				.forEach(passed::add);
		}
		return new FlowNodeCoverage(processKey, nodes, passed);
	}

	public double ratio() {
		return (double) this.passed.size() / this.nodes.size();
	}

	public Set<String> missed() {
		Set<String> missed = new TreeSet<>(this.nodes);
		missed.removeAll(this.passed);
		return missed;
	}

	/** Prints the figure and writes it with the missed nodes under {@code target/process-coverage}. */
	public FlowNodeCoverage report() {
		String report = String.format("Flow-node coverage of %s: %d of %d (%.1f %%)%nNot passed: %s%n", this.processKey,
				this.passed.size(), this.nodes.size(), 100 * ratio(), missed());
		try {
			Path folder = Files.createDirectories(Path.of("target", "process-coverage"));
			Files.writeString(folder.resolve(this.processKey + ".txt"), report);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		System.out.print(report);
		return this;
	}

}
