package io.nurtureflow.journey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks of a submitted form against the journeys' own forms in {@code forms/}, where the
 * journeys need no engine to show them (the call outcome's conditions and options are in
 * {@link CheckedFormSubmissionsTest}): numbers, bounds, lengths and addresses.
 */
class CamundaFormRulesTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The forms' conditions are all {@code key != "value"}; the engine's FEEL tells them in the journeys. */
	private static final Pattern NOT_EQUAL = Pattern.compile("(\\w+) != \"([^\"]*)\"");

	@Test
	void expectedSeatsAreANumberOfNoLessThanNone() throws IOException {
		JsonNode renewal = form("renewal-call");

		assertThat(problems(renewal, Map.of("renewalOutcome", "renewing", "expectedSeats", "twelve")))
			.containsExactly("'Expected seats' must be a number");
		assertThat(problems(renewal, Map.of("renewalOutcome", "renewing", "expectedSeats", -1)))
			.containsExactly("'Expected seats' must be at least 0");
		assertThat(problems(renewal, Map.of("renewalOutcome", "renewing", "expectedSeats", 12))).isEmpty();
	}

	@Test
	void callNotesAreBoundedAndAReferralHasAnAddress() throws IOException {
		JsonNode call = form("call-outcome");

		assertThat(problems(call, Map.of("callOutcome", "no_answer", "callNotes", "n".repeat(2001))))
			.containsExactly("'Notes' may have at most 2000 characters");
		assertThat(problems(call, Map.of("callOutcome", "wrong_person", "referralName", "Sam",
				"referralEmail", "sam at example")))
			.containsExactly("'Referral email' must be an email address");
		assertThat(problems(call, Map.of("callOutcome", "no_answer", "referralEmail", "sam at example")))
			.as("a hidden field is not Tasklist's to send, nor ours to check")
			.isEmpty();
	}

	private static List<String> problems(JsonNode form, Map<String, Object> submitted) {
		Predicate<String> hidden = (condition) -> {
			Matcher parts = NOT_EQUAL.matcher(condition);
			assertThat(parts.matches()).as(condition).isTrue();
			return !parts.group(2).equals(submitted.get(parts.group(1)));
		};
		return CamundaFormRules.problems(form, new HashMap<>(submitted), hidden);
	}

	private static JsonNode form(String name) throws IOException {
		return JSON.readTree(Path.of("forms", name + ".form").toFile());
	}

}
