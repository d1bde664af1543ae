package io.nurtureflow.journey;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.form.FormField;
import org.camunda.bpm.engine.form.FormFieldValidationConstraint;
import org.camunda.bpm.engine.impl.form.type.AbstractFormFieldType;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidatorException;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * What a field of a generated form ({@code camunda:formField}) refused of a submission, in words
 * that name the field and say what was wrong, begun as Camunda begins its own ("Invalid value
 * submitted for form field 'seats': ..."). A constraint's refusal the engine tells in its own
 * exception, {@link FormFieldValidatorException}; a value the field's type cannot be it refuses
 * with a bare exception naming neither the field nor the type, recognised here by the engine's
 * method that raised it.
 */
final class GeneratedFormValues {

	/**
	 * The engine's checks of a submitted value against its field's type (text for a {@code long},
	 * a number for a {@code boolean} or an {@code enum}, an option the {@code enum} does not list,
	 * a date not in the field's pattern), and of a length constraint against a value that is no
	 * text. The {@code long}'s check lets {@link Long#valueOf(String)}'s {@link NumberFormatException} out.
	 */
	private static final Set<String> TYPE_CHECKS = Set.of(
			"org.camunda.bpm.engine.impl.form.type.LongFormType.convertValue",
			"org.camunda.bpm.engine.impl.form.type.BooleanFormType.convertValue",
			"org.camunda.bpm.engine.impl.form.type.DateFormType.convertToModelValue",
			"org.camunda.bpm.engine.impl.form.type.EnumFormType.convertValue",
			"org.camunda.bpm.engine.impl.form.type.EnumFormType.validateValue",
			"org.camunda.bpm.engine.impl.form.validator.AbstractTextValueValidator.validate");

	private static final Set<String> LENGTH_CONSTRAINTS = Set.of("minlength", "maxlength");

	private GeneratedFormValues() {
	}

	/** Whether one of the engine's checks of a value against its field's type raised the failure. */
	static boolean refusedByAFieldsType(Throwable failure) {
		return RequestFaults.raisedBy(failure, TYPE_CHECKS);
	}

	/**
	 * What is wrong with the first of the form's fields whose submitted value its type cannot take,
	 * or null when none is. The engine takes the fields in this order and stops at the first it
	 * refuses, so that is the one it refused.
	 */
	static String whatWasWrong(List<FormField> fields, VariableMap submitted) {
		for (FormField field : fields) {
			TypedValue value = submitted.getValueTyped(field.getId());
			String problem = (value != null && value.getValue() != null) ? problem(field, value) : null;
			if (problem != null) {
				return invalid(field.getId()) + problem;
			}
		}
		return null;
	}

	/**
	 * What a constraint refused: the reason its validator gave, or what the built-in constraint asks
	 * for; null for a validator that gave no reason, where Camunda's message ("validation of
	 * validator(...) failed") is all there is to say.
	 */
	static String whatWasWrong(FormFieldValidatorException refused) {
		String reason = reason(refused);
		if (reason != null) {
			return invalid(refused.getId()) + reason;
		}
		String config = refused.getConfig();
		String asked = switch (String.valueOf(refused.getName())) {
			case "required" -> "a value is required";
			case "minlength" -> "it must have at least " + config + " characters";
			case "maxlength" -> "it may have at most " + config + " characters";
			case "min" -> "it must be at least " + config;
			case "max" -> "it must be at most " + config;
			case "readonly" -> "it is read-only and takes no value";
			default -> null;
		};
		return (asked != null) ? invalid(refused.getId()) + asked : null;
	}

	/**
	 * Why a validator refused, as it said: in its exception's message or, where it gave only a
	 * detail, in a detail that is text (as the engine's numeric constraints say a value is no
	 * number).
	 */
	private static String reason(FormFieldValidatorException refused) {
		if (!(refused.getCause() instanceof FormFieldValidationException validator)) {
			return null;
		}
		if (validator.getMessage() != null) {
			return validator.getMessage();
		}
		return (validator.getDetail() instanceof String detail) ? detail : null;
	}

	private static String problem(FormField field, TypedValue value) {
		String shown = "'" + value.getValue() + "'";
		if (!(value.getValue() instanceof String) && measuresText(field)) {
			return shown + " is not a text";
		}
		if (!(field.getType() instanceof AbstractFormFieldType type) || takes(type, value)) {
			return null;
		}
		return switch (type.getName()) {
			case "long" -> shown + " is not a whole number";
			case "boolean" -> shown + " is not true or false";
			case "date" -> shown + " is not a date as " + type.getInformation("datePattern");
			case "enum" -> shown + " is not one of " + ((Map<?, ?>) type.getInformation("values")).keySet()
				.stream()
				.map(String::valueOf)
				.collect(Collectors.joining(", "));
			default -> null;
		};
	}

	/** Whether the type takes the value: a failure other than its check of the value is not the value's. */
	private static boolean takes(AbstractFormFieldType type, TypedValue value) {
		try {
			type.convertToModelValue(value);
			return true;
		}
		catch (ProcessEngineException | NumberFormatException ex) {
			return !refusedByAFieldsType(ex);
		}
	}

	private static boolean measuresText(FormField field) {
		return field.getValidationConstraints()
			.stream()
			.map(FormFieldValidationConstraint::getName)
			.anyMatch(LENGTH_CONSTRAINTS::contains);
	}

	private static String invalid(String field) {
		return "Invalid value submitted for form field '" + field + "': ";
	}

}
