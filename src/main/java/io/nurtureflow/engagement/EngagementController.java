package io.nurtureflow.engagement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nurtureflow.lead.LeadConsent;
import io.nurtureflow.lead.LeadNotFoundException;
import io.nurtureflow.lead.LeadRepository;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Engagement that integrations push in: conversions, downloads and survey answers for a lead,
 * and email replies from a mail provider's inbound parse webhook. Both sit under {@code /api},
 * so they need an API key or an integrations user.
 */
@RestController
class EngagementController {

	/** What integrations may report; the rest comes from tracking links and provider webhooks. */
	private static final List<EngagementType> PUSHED = List.of(EngagementType.CONVERTED,
			EngagementType.CONTENT_DOWNLOADED, EngagementType.SURVEY_ANSWERED, EngagementType.REPLIED);

	/** Engagement before this is a mistake (and beyond what every database stores). */
	private static final Instant EARLIEST = Instant.EPOCH;

	/** How far ahead of our clock a sender's clock may be; later than that is a mistake that would inflate scores. */
	private static final Duration CLOCK_SKEW = Duration.ofDays(1);

	private final EngagementRecorder recorder;

	private final LeadRepository leads;

	private final LeadConsent contacts;

	private final Clock clock;

	EngagementController(EngagementRecorder recorder, LeadRepository leads, LeadConsent contacts, Clock clock) {
		this.recorder = recorder;
		this.leads = leads;
		this.contacts = contacts;
		this.clock = clock;
	}

	/**
	 * @param type one of CONVERTED, CONTENT_DOWNLOADED, SURVEY_ANSWERED, REPLIED
	 * @param eventId the sender's id of the event; the same id twice for one lead is one event, and
	 * the same id with another type is refused
	 */
	record PushedEngagement(@NotNull EngagementType type,
			@Size(max = 2000) @Pattern(regexp = "\\P{Cc}*", message = "must not contain control characters") String detail,
			Instant occurredAt, @Size(max = 150) @Pattern(regexp = "[\\x21-\\x7E]*") String eventId) {
	}

	@PostMapping(path = "/api/leads/{id}/engagements", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> push(@PathVariable UUID id, @Valid @RequestBody PushedEngagement engagement) {
		if (!PUSHED.contains(engagement.type())) {
			throw new IllegalEngagementException(engagement.type(), PUSHED);
		}
		Instant now = this.clock.instant();
		if (engagement.occurredAt() != null && (engagement.occurredAt().isBefore(EARLIEST)
				|| engagement.occurredAt().isAfter(now.plus(CLOCK_SKEW)))) {
			throw new IllegalEngagementException("occurredAt", "must lie between 1970 and now");
		}
		this.leads.findById(id).orElseThrow(() -> new LeadNotFoundException("id " + id));
		Instant at = (engagement.occurredAt() != null) ? engagement.occurredAt() : now;
		String dedupeKey = (engagement.eventId() != null) ? "api:" + id + ":" + engagement.eventId() : null;
		if (dedupeKey != null) {
			// a replay is the same event again; another event under a used id would be dropped unseen
			this.recorder.typeStored(dedupeKey)
				.filter((stored) -> !stored.equals(engagement.type().name()))
				.ifPresent((stored) -> {
					throw new EventIdReusedException(engagement.eventId(), stored, engagement.type());
				});
		}
		boolean recorded = this.recorder.record(new Engagement(id, null, engagement.type(), null, engagement.detail(),
				at, dedupeKey));
		return ResponseEntity.status(recorded ? 201 : 200).body(Map.of("recorded", recorded));
	}

	/**
	 * An email reply, as inbound parse webhooks post it ({@code from}, {@code subject},
	 * {@code text}, form-encoded or multipart). The sender's address finds the lead.
	 */
	@PostMapping(path = "/api/inbound/email",
			consumes = { MediaType.APPLICATION_FORM_URLENCODED_VALUE, MediaType.MULTIPART_FORM_DATA_VALUE })
	ResponseEntity<Map<String, Object>> emailReply(@RequestParam @NotBlank String from,
			@RequestParam(required = false) String subject, @RequestParam(required = false) String text,
			@RequestParam(name = "Message-Id", required = false) String messageId) {
		String address = InboundAddress.of(from);
		List<UUID> matches = (address != null) ? this.contacts.leadsWithEmail(address) : List.of();
		for (UUID lead : matches) {
			// NUL is no text to a database (PostgreSQL refuses it), and would drop the whole reply
			String detail = (((subject != null) ? subject : "") + ((text != null) ? "\n" + text : "")).replace("\u0000", "");
			this.recorder.record(new Engagement(lead, null, EngagementType.REPLIED, "EMAIL", detail.strip(),
					this.clock.instant(), (messageId != null) ? "email:" + dedupeId(messageId) + ":" + lead : null));
		}
		return ResponseEntity.ok(Map.of("leads", matches.size()));
	}

	/**
	 * A Message-Id as it fits the dedupe key (200 characters with prefix and lead id): as it is
	 * when short and plain, else its SHA-256. Too long a key would fail the insert and lose the reply.
	 */
	private static String dedupeId(String messageId) {
		if (messageId.length() <= 100 && messageId.chars().allMatch((c) -> c > 0x20 && c < 0x7F)) {
			return messageId;
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8));
			return "sha256:" + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
