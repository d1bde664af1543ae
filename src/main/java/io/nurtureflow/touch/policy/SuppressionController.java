package io.nurtureflow.touch.policy;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import io.nurtureflow.lead.FieldError;
import io.nurtureflow.lead.Reason;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The do-not-contact list over the API: {@code /api/suppressions}. An address on it is never
 * touched on any channel, by any journey.
 */
@RestController
@RequestMapping("/api/suppressions")
class SuppressionController {

	private final SuppressionList suppressions;

	private final Clock clock;

	SuppressionController(SuppressionList suppressions, Clock clock) {
		this.suppressions = suppressions;
		this.clock = clock;
	}

	/**
	 * An address to suppress: an email address or an E.164 phone number.
	 */
	record NewSuppression(
			@NotBlank @Size(max = 254) @Pattern(regexp = "\\+[1-9][0-9]{6,14}|[^@\\s\\p{Cc}/\\\\]+@[^@\\s\\p{Cc}/\\\\]+",
					message = "must be an email address without slashes or an E.164 phone number such as +14155552671") String address,
			@NotBlank @Reason String reason) {
	}

	@GetMapping
	List<SuppressionList.Entry> list() {
		return this.suppressions.list();
	}

	@PostMapping
	ResponseEntity<SuppressionList.Entry> add(@Valid @RequestBody NewSuppression request) {
		if (SuppressionList.normalise(request.address()).length() > SuppressionList.ADDRESS_LENGTH) {
			// lower case may lengthen an address (İ becomes i and a combining dot)
			String tooLong = "is longer than " + SuppressionList.ADDRESS_LENGTH + " characters in lower case";
			ErrorResponseException refused = refusal(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
					"address " + tooLong);
			refused.getBody().setProperty("errors", List.of(new FieldError("address", tooLong)));
			throw refused;
		}
		String kind = request.address().startsWith("+") ? "PHONE" : "EMAIL";
		SuppressionList.Entry entry = this.suppressions.add(request.address(), kind, request.reason(),
				this.clock.instant());
		// an email address may hold characters a URI must escape (jo|hn@, {x}@, 100%@)
		return ResponseEntity
			.created(UriComponentsBuilder.fromPath("/api/suppressions/{address}")
				.encode()
				.buildAndExpand(entry.address())
				.toUri())
			.body(entry);
	}

	@DeleteMapping("/{address}")
	ResponseEntity<Void> remove(@PathVariable String address) {
		if (!this.suppressions.remove(address)) {
			throw refusal(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"This address is not on the do-not-contact list");
		}
		return ResponseEntity.noContent().build();
	}

	/** A refusal as the API's problem responses have it: a type under nurtureflow.io/problems, a title, a detail. */
	private static ErrorResponseException refusal(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create("https://nurtureflow.io/problems/" + type));
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
