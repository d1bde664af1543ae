package io.nurtureflow.touch.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchLedger;

import org.springframework.stereotype.Component;

/**
 * The rules every touch passes before it goes, whatever the journey says. Rules that forbid a
 * touch for good skip it; rules that forbid it only now defer it to the first moment at which
 * all of them allow it.
 */
@Component
public class ContactPolicy {

	private static final int SEARCH_STEPS = 20;

	private final SuppressionList suppressions;

	private final TouchLedger ledger;

	private final ContactProperties properties;

	ContactPolicy(SuppressionList suppressions, TouchLedger ledger, ContactProperties properties) {
		this.suppressions = suppressions;
		this.ledger = ledger;
		this.properties = properties;
	}

	public PolicyDecision decide(Lead lead, Channel channel, Instant now) {
		Optional<String> forbidden = forbidden(lead, channel);
		if (forbidden.isPresent()) {
			return PolicyDecision.skip(forbidden.get());
		}
		List<NamedDeferral> deferrals = List.of(new NamedDeferral("quiet hours", this::quietHours),
				new NamedDeferral("frequency cap", this::frequencyCap));
		Instant candidate = now;
		String reason = null;
		for (int step = 0; step < SEARCH_STEPS; step++) {
			Instant settled = candidate;
			for (NamedDeferral deferral : deferrals) {
				Instant allowed = deferral.rule().apply(new Subject(lead, channel), settled);
				if (allowed.isAfter(settled)) {
					settled = allowed;
					reason = (reason == null) ? deferral.name() : reason;
				}
			}
			if (settled.equals(candidate)) {
				return candidate.equals(now) ? PolicyDecision.send() : PolicyDecision.defer(reason, candidate);
			}
			candidate = settled;
		}
		return PolicyDecision.defer(reason, candidate);
	}

	/**
	 * The rules asked again before another attempt at a touch whose last attempt failed: consent,
	 * the do-not-contact list and quiet hours may have changed for it since. The frequency cap is
	 * not: the touch counts against it from its first attempt on.
	 */
	public PolicyDecision decideAgain(Lead lead, Channel channel, Instant now) {
		Optional<String> forbidden = forbidden(lead, channel);
		if (forbidden.isPresent()) {
			return PolicyDecision.skip(forbidden.get());
		}
		Instant opens = quietHours(new Subject(lead, channel), now);
		return opens.isAfter(now) ? PolicyDecision.defer("quiet hours", opens) : PolicyDecision.send();
	}

	private Optional<String> forbidden(Lead lead, Channel channel) {
		if (this.suppressions.containsAny(lead.email(), lead.phone())) {
			return Optional.of("on the do-not-contact list");
		}
		return switch (channel) {
			case EMAIL -> lead.consentEmail() ? Optional.empty() : Optional.of("no email consent");
			case SMS -> !lead.consentSms() ? Optional.of("no SMS consent")
					: (lead.phone() == null) ? Optional.of("no phone number") : Optional.empty();
		};
	}

	private Instant quietHours(Subject subject, Instant at) {
		return this.properties.window(subject.channel())
			.map((window) -> window.nextOpening(at, subject.lead().timeZone()))
			.orElse(at);
	}

	/** The first moment from {@code at} on when fewer than the cap were made in the window before it. */
	private Instant frequencyCap(Subject subject, Instant at) {
		List<Instant> recent = this.ledger.madeSince(subject.lead().id(), at.minus(this.properties.frequencyWindow()));
		int cap = this.properties.frequencyCap();
		if (recent.size() < cap) {
			return at;
		}
		return recent.get(recent.size() - cap).plus(this.properties.frequencyWindow());
	}

	private record Subject(Lead lead, Channel channel) {
	}

	private record NamedDeferral(String name, BiFunction<Subject, Instant, Instant> rule) {
	}

}
