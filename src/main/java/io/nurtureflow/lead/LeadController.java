package io.nurtureflow.lead;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.ServletContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** The intake API: push a lead in, read it back. */
@RestController
@RequestMapping("/api/leads")
class LeadController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private static final Pattern KEY_SYNTAX = Pattern.compile("[\\x21-\\x7E]{1,200}");

	private final LeadValidator validator;

	private final LeadIntake intake;

	private final LeadRepository leads;

	private final Journeys journeys;

	private final ObjectMapper json;

	private final LeadLifecycle lifecycle;

	private final String contextPath;

	LeadController(LeadValidator validator, LeadIntake intake, LeadRepository leads, Journeys journeys,
			ObjectMapper json, LeadLifecycle lifecycle, ServletContext servletContext) {
		this.contextPath = servletContext.getContextPath();
		this.lifecycle = lifecycle;
		this.validator = validator;
		this.intake = intake;
		this.leads = leads;
		this.journeys = journeys;
		this.json = json;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> create(@RequestBody LeadRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
		NewLead lead = this.validator.validate(request);
		StoredAnswer answer;
		if (idempotencyKey == null) {
			answer = answer(this.intake.submit(lead, "api"));
		}
		else {
			if (!KEY_SYNTAX.matcher(idempotencyKey).matches()) {
				throw new InvalidLeadException(List.of(new FieldError(IDEMPOTENCY_KEY,
						"must be 1 to 200 visible ASCII characters, for example a UUID")));
			}
			answer = this.intake.submit(lead, "api", idempotencyKey, hash(request), this::answer);
		}
		return ResponseEntity.status(answer.status())
			.header(HttpHeaders.LOCATION, answer.location())
			.contentType(MediaType.APPLICATION_JSON)
			.body(answer.body());
	}

	@GetMapping("/{id}")
	LeadView byId(@PathVariable UUID id) {
		return this.leads.findById(id).map(this::view).orElseThrow(() -> new LeadNotFoundException("id " + id));
	}

	/** A {@code +} left unencoded in the query arrives as a space, which no stored email has. */
	@GetMapping(params = "email")
	LeadView byEmail(@RequestParam String email) {
		return this.leads.findByEmail(email.trim().replace(' ', '+').toLowerCase(Locale.ROOT))
			.map(this::view)
			.orElseThrow(() -> new LeadNotFoundException("this email"));
	}

	/** Ends the lead's journeys through their "disqualified" exit; a customer's is refused (409). */
	@PostMapping("/{id}/disqualify")
	ResponseEntity<Void> disqualify(@PathVariable UUID id,
			@RequestParam(name = "reason", required = false, defaultValue = "disqualified") @Reason String reason) {
		this.lifecycle.disqualify(id, reason);
		return ResponseEntity.noContent().build();
	}

	/**
	 * A customer who left mid-contract, recorded by customer success's CRM: its customer journey
	 * ends through its "churned" exit. Again (or after the renewal call) it is 204 too, and changes
	 * nothing; a lead that is no customer is refused (409).
	 */
	@PostMapping("/{id}/churn")
	ResponseEntity<Void> churn(@PathVariable UUID id,
			@RequestParam(name = "reason", required = false, defaultValue = "churned") @Reason String reason) {
		this.lifecycle.churn(id, reason);
		return ResponseEntity.noContent().build();
	}

	/** Erases the lead and everything recorded about it, after ending its journeys. */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.lifecycle.erase(id);
		return ResponseEntity.noContent().build();
	}

	private LeadView view(Lead lead) {
		return LeadView.of(lead, this.journeys.activeJourneys(lead.id()));
	}

	private StoredAnswer answer(IntakeResult result) {
		HttpStatus status = (result.outcome() == IntakeResult.Outcome.CREATED) ? HttpStatus.CREATED : HttpStatus.OK;
		// a path, not a URL: the Host header is the client's to choose (and long enough to overflow
		// the stored answer), and a stored answer is replayed by whichever node takes the retry
		URI location = UriComponentsBuilder.fromPath(this.contextPath)
			.path("/api/leads/{id}")
			.buildAndExpand(result.lead().id())
			.toUri();
		return new StoredAnswer(status.value(), location.toString(),
				toJson(LeadView.of(result.lead(), result.journeys())));
	}

	private String hash(LeadRequest request) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(toJson(request).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	private String toJson(Object value) {
		try {
			return this.json.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write " + value.getClass().getSimpleName(), ex);
		}
	}

}
