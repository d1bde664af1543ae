package io.nurtureflow.journey;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * Routing facts a step leaves for the gateway right after it, in the same job: transient, so
 * never written to the engine's tables. Journeys started by an earlier Nurtureflow hold the same
 * names as stored variables, and the engine refuses to turn a stored variable into a transient
 * one (nor to remove it and set a transient one in the same command): there the value is stored
 * as that version stored it.
 */
final class TransientVariables {

	private TransientVariables() {
	}

	/** Sets {@code value} (created transient) on this execution's own scope. */
	static void setLocal(VariableScope scope, String name, TypedValue value) {
		TypedValue stored = scope.getVariableLocalTyped(name);
		scope.setVariableLocal(name, isStored(stored) ? Variables.untypedValue(value.getValue()) : value);
	}

	/** Sets {@code value} (created transient) where the journey keeps the name, else on the journey. */
	static void set(VariableScope scope, String name, TypedValue value) {
		TypedValue stored = scope.getVariableTyped(name);
		scope.setVariable(name, isStored(stored) ? Variables.untypedValue(value.getValue()) : value);
	}

	private static boolean isStored(TypedValue value) {
		return value != null && !value.isTransient();
	}

}
