package io.nurtureflow.journey;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a submission of a Camunda Form (a {@code .form} of {@code forms/}) must hold, as the form
 * itself says and Tasklist checks before it sends: each field shown is there when required, of the
 * type its kind gives (a text, a number, {@code true} or {@code false}, a date as
 * {@code yyyy-MM-dd}), one of its options for a radio group or a select, within its lengths,
 * bounds and pattern. The engine takes whatever is sent, so a submission that skipped Tasklist
 * (a script on the REST API, a rep's browser tools) could store a call outcome no gateway knows,
 * a follow-up date the timer cannot read or a count of seats that is text, and break or mislead
 * the journey later. A field a condition hides is not asked for, as Tasklist does not send it; a
 * checkbox shown is always sent ({@code false} when unticked), so it is required as one. Fields
 * of other kinds, and options a form computes, are left as sent.
 */
final class CamundaFormRules {

	/** An address as Tasklist's own check of {@code validationType: email} takes it: something@something.tld. */
	private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");

	private CamundaFormRules() {
	}

	/**
	 * What is wrong with the submitted values for this form's schema, one sentence each; empty when
	 * nothing is. {@code hidden} tells whether a field's {@code conditional.hide} expression holds.
	 */
	static List<String> problems(JsonNode form, Map<String, Object> submitted, Predicate<String> hidden) {
		List<String> problems = new ArrayList<>();
		check(form.path("components"), submitted, hidden, problems);
		return problems;
	}

	private static void check(JsonNode components, Map<String, Object> submitted, Predicate<String> hidden,
			List<String> problems) {
		for (JsonNode field : components) {
			String hide = field.path("conditional").path("hide").asText("");
			if (!hide.isBlank() && hidden.test(hide.strip().replaceFirst("^=", ""))) {
				continue;
			}
			if (field.has("components")) {
				check(field.path("components"), submitted, hidden, problems);
			}
			String key = field.path("key").asText("");
			if (!key.isEmpty()) {
				String problem = problem(field, submitted.get(key));
				if (problem != null) {
					problems.add("'" + label(field, key) + "' " + problem);
				}
			}
		}
	}

	/** What is wrong with the value of one field shown, or null. */
	private static String problem(JsonNode field, Object value) {
		String type = field.path("type").asText();
		JsonNode rules = field.path("validate");
		boolean empty = value == null || (value instanceof String text && text.isEmpty());
		if (empty) {
			boolean required = rules.path("required").asBoolean(false) || type.equals("checkbox");
			return required ? "is required" : null;
		}
		return switch (type) {
			case "textfield", "textarea" -> (value instanceof String text) ? text(text, rules) : "must be a text";
			case "number" -> (value instanceof Number number) ? number(number, rules) : "must be a number";
			case "checkbox" -> (value instanceof Boolean) ? null : "must be true or false";
			case "radio", "select" -> option(field, value);
			case "datetime" -> date(field, value);
			default -> null;
		};
	}

	private static String text(String text, JsonNode rules) {
		if (rules.has("minLength") && text.length() < rules.path("minLength").asInt()) {
			return "must have at least " + rules.path("minLength").asInt() + " characters";
		}
		if (rules.has("maxLength") && text.length() > rules.path("maxLength").asInt()) {
			return "may have at most " + rules.path("maxLength").asInt() + " characters";
		}
		if ("email".equals(rules.path("validationType").asText()) && !EMAIL.matcher(text).matches()) {
			return "must be an email address";
		}
		if (rules.hasNonNull("pattern")) {
			try {
				if (!Pattern.compile(rules.path("pattern").asText()).matcher(text).find()) {
					return "does not have the expected form";
				}
			}
			catch (PatternSyntaxException ex) {
				// a pattern Java cannot read (JavaScript's own syntax) is Tasklist's to check
				return null;
			}
		}
		return null;
	}

	private static String number(Number number, JsonNode rules) {
		double value = number.doubleValue();
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			return "must be a number";
		}
		if (rules.has("min") && value < rules.path("min").asDouble()) {
			return "must be at least " + rules.path("min").asText();
		}
		if (rules.has("max") && value > rules.path("max").asDouble()) {
			return "must be at most " + rules.path("max").asText();
		}
		return null;
	}

	/** One of the options the form lists; options it computes ({@code valuesKey}, an expression) are not known here. */
	private static String option(JsonNode field, Object value) {
		if (!field.path("values").isArray()) {
			return null;
		}
		List<String> options = new ArrayList<>();
		field.path("values").forEach((option) -> options.add(option.path("value").asText()));
		return (value instanceof String text && options.contains(text)) ? null
				: "must be one of " + String.join(", ", options);
	}

	/** A date field gives {@code yyyy-MM-dd}, which the journeys' timers read; times are left as sent. */
	private static String date(JsonNode field, Object value) {
		if (!"date".equals(field.path("subtype").asText())) {
			return (value instanceof String) ? null : "must be a text";
		}
		try {
			LocalDate.parse(String.valueOf(value));
			return (value instanceof String) ? null : "must be a date as yyyy-MM-dd";
		}
		catch (DateTimeParseException ex) {
			return "must be a date as yyyy-MM-dd";
		}
	}

	private static String label(JsonNode field, String key) {
		for (String name : List.of("label", "dateLabel", "timeLabel")) {
			if (!field.path(name).asText("").isBlank()) {
				return field.path(name).asText();
			}
		}
		return key;
	}

}
