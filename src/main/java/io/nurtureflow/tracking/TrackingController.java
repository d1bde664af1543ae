package io.nurtureflow.tracking;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

import io.nurtureflow.engagement.Engagement;
import io.nurtureflow.engagement.EngagementRecorder;
import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.lead.EmailResubscriptions;
import io.nurtureflow.lead.EmailResubscriptions.LinkState;
import io.nurtureflow.lead.LeadConsent;
import io.nurtureflow.lead.LeadConsent.ConsentChannel;
import io.nurtureflow.tracking.TrackingTokens.Claim;
import io.nurtureflow.tracking.TrackingTokens.Purpose;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The public end of tracking: clicks, opens, unsubscribes and resubscribes, each proven by its
 * signed token. No login and no cookie is needed, as RFC 8058 one-click unsubscribe requires. A
 * token that does not verify gets 404 and changes nothing; a click goes only to the URL that was
 * signed.
 */
@RestController
class TrackingController {

	/** A transparent 1x1 GIF. */
	private static final byte[] PIXEL = java.util.Base64.getDecoder()
		.decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

	private final TrackingTokens tokens;

	private final EngagementRecorder engagement;

	private final LeadConsent consent;

	private final EmailResubscriptions resubscriptions;

	private final Clock clock;

	TrackingController(TrackingTokens tokens, EngagementRecorder engagement, LeadConsent consent,
			EmailResubscriptions resubscriptions, Clock clock) {
		this.tokens = tokens;
		this.engagement = engagement;
		this.consent = consent;
		this.resubscriptions = resubscriptions;
		this.clock = clock;
	}

	@GetMapping("/t/c/{token}")
	ResponseEntity<String> click(@PathVariable String token) {
		Optional<Claim> claim = verified(token, Purpose.CLICK);
		if (claim.isEmpty() || !TrackingLinks.isWebUrl(claim.get().url())) {
			return invalidLink();
		}
		Claim click = claim.get();
		this.engagement.record(new Engagement(click.leadId(), click.touchId(), EngagementType.CLICKED, "EMAIL",
				click.url(), this.clock.instant(), null));
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(click.url().trim())).build();
	}

	@GetMapping("/t/o/{token}")
	ResponseEntity<byte[]> open(@PathVariable String token) {
		Optional<Claim> claim = verified(token, Purpose.OPEN);
		if (claim.isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		Claim open = claim.get();
		this.engagement.record(new Engagement(open.leadId(), open.touchId(), EngagementType.OPENED, "EMAIL", null,
				this.clock.instant(), "open:" + open.touchId()));
		return ResponseEntity.ok()
			.contentType(MediaType.IMAGE_GIF)
			.cacheControl(CacheControl.noStore())
			.body(PIXEL);
	}

	/** The page behind the visible unsubscribe link: it asks, so that link scanners change nothing. */
	@GetMapping("/t/u/{token}")
	ResponseEntity<String> confirmUnsubscribe(@PathVariable String token) {
		if (verified(token, Purpose.UNSUBSCRIBE).isEmpty()) {
			return invalidLink();
		}
		return page(HttpStatus.OK, "Unsubscribe", """
				<p>Do you want to stop receiving these emails?</p>
				<form method="post" action="/t/u/%s"><button type="submit">Unsubscribe</button></form>
				""".formatted(HtmlUtils.htmlEscape(token)));
	}

	/** The one-click unsubscribe (RFC 8058) and the confirmation page's button. */
	@PostMapping("/t/u/{token}")
	ResponseEntity<String> unsubscribe(@PathVariable String token) {
		Optional<Claim> claim = verified(token, Purpose.UNSUBSCRIBE);
		if (claim.isEmpty()) {
			return invalidLink();
		}
		Claim unsubscribe = claim.get();
		this.consent.set(unsubscribe.leadId(), ConsentChannel.EMAIL, false, "unsubscribe link");
		// also when the consent was withdrawn already: the request that withdrew it may have died
		// before storing the event; the link's dedupe key makes a repeat of a stored one a replay
		this.engagement.record(new Engagement(unsubscribe.leadId(), unsubscribe.touchId(), EngagementType.UNSUBSCRIBED,
				"EMAIL", null, this.clock.instant(), "unsubscribe:" + unsubscribe.touchId()));
		return page(HttpStatus.OK, "Unsubscribed", "<p>You are unsubscribed and will get no more of these emails.</p>");
	}

	/**
	 * The page behind the link that confirms a lead's request to get email again: it asks, so that
	 * link scanners change nothing, or says why the link cannot confirm.
	 */
	@GetMapping("/t/r/{token}")
	ResponseEntity<String> confirmResubscribe(@PathVariable String token) {
		Optional<Claim> claim = verified(token, Purpose.RESUBSCRIBE);
		if (claim.isEmpty()) {
			return invalidLink();
		}
		return resubscribePage(this.resubscriptions.state(claim.get().touchId(), claim.get().leadId()), token);
	}

	/** The confirmation page's button: the lead's email consent is given back, and kept as engagement. */
	@PostMapping("/t/r/{token}")
	ResponseEntity<String> resubscribe(@PathVariable String token) {
		Optional<Claim> claim = verified(token, Purpose.RESUBSCRIBE);
		if (claim.isEmpty()) {
			return invalidLink();
		}
		Claim resubscribe = claim.get();
		LinkState state = this.resubscriptions.confirm(resubscribe.touchId(), resubscribe.leadId());
		if (state == LinkState.CONFIRMED) {
			// also when it was confirmed before: as for an unsubscribe, a repeat stores an event
			// that the first post died before storing, and is a replay of one it stored
			this.engagement.record(new Engagement(resubscribe.leadId(), null, EngagementType.EMAIL_OPTED_IN, "EMAIL",
					null, this.clock.instant(), "resubscribe:" + resubscribe.touchId()));
		}
		return resubscribePage(state, token);
	}

	private static ResponseEntity<String> resubscribePage(LinkState state, String token) {
		return switch (state) {
			case OPEN -> page(HttpStatus.OK, "Get our emails again", """
					<p>You asked to get our emails again. Do you want them?</p>
					<form method="post" action="/t/r/%s"><button type="submit">Yes, send me emails again</button></form>
					""".formatted(HtmlUtils.htmlEscape(token)));
			case CONFIRMED -> page(HttpStatus.OK, "Subscribed again",
					"<p>Thank you: you will get our emails again. Each of them has a link to unsubscribe.</p>");
			case EXPIRED -> page(HttpStatus.GONE, "Link expired", """
					<p>This link has expired, and nothing was changed. To get our emails again, fill in our form once
					more and confirm with the link in the email that follows.</p>""");
			case BLOCKED -> page(HttpStatus.FORBIDDEN, "Not possible",
					"<p>This address is on our do-not-contact list, so we send it no email. Nothing was changed.</p>");
			case UNKNOWN -> invalidLink();
		};
	}

	private Optional<Claim> verified(String token, Purpose purpose) {
		return this.tokens.verify(token).filter((claim) -> claim.purpose() == purpose);
	}

	private static ResponseEntity<String> invalidLink() {
		return page(HttpStatus.NOT_FOUND, "Link not valid",
				"<p>This link is not valid. If you copied it, check that it is complete.</p>");
	}

	private static ResponseEntity<String> page(HttpStatus status, String title, String body) {
		String html = """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>%s</title>
				<meta name="viewport" content="width=device-width, initial-scale=1"></head>
				<body style="font-family: Arial, sans-serif; max-width: 36em; margin: 3em auto;"><h1>%s</h1>%s</body></html>
				""".formatted(title, title, body);
		return ResponseEntity.status(status)
			.contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.body(html);
	}

}
