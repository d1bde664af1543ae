package io.nurtureflow.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.nurtureflow.lead.LeadConsent.ConsentChannel;

import org.springframework.stereotype.Component;

/**
 * What a known lead's new submission adds to it: the details it lacked, and consent it gives
 * now. Nothing it knew is overwritten and no consent is taken back: a form may be typed by anyone
 * who knows the email, and withdrawal is the unsubscribe link's and STOP's to make. For the same
 * reason a form never gives back a channel the lead withdrew: SMS START does that for SMS, and
 * for email the lead is asked at its own address ({@link EmailResubscriptions}).
 */
@Component
class Resubmissions {

	private static final String CONSENT_SOURCE = "submitted again: ";

	private final LeadRepository leads;

	private final LeadConsent consent;

	private final DoNotContactList doNotContact;

	private final EmailResubscriptions resubscriptions;

	Resubmissions(LeadRepository leads, LeadConsent consent, DoNotContactList doNotContact,
			EmailResubscriptions resubscriptions) {
		this.leads = leads;
		this.consent = consent;
		this.doNotContact = doNotContact;
		this.resubscriptions = resubscriptions;
	}

	/**
	 * Takes in what the submission adds to the lead, whose row the caller holds; returns the lead
	 * as stored now. Email the lead withdrew and ticks again is asked for at its address only when
	 * the lead sent the submission itself: an imported row is the operator's list, often an old
	 * one, and an import must not email every lead on it that unsubscribed.
	 */
	Lead takeIn(Lead known, NewLead submitted, String origin, boolean imported, Instant now) {
		Lead filled = known.filledFrom(submitted);
		boolean changed = !filled.equals(known);
		if (changed) {
			this.leads.updateDetails(filled, now);
			if (known.interests().isEmpty()) {
				this.leads.addInterests(known.id(), filled.interests());
			}
		}
		for (ConsentChannel channel : consentTicked(filled, submitted)) {
			if (!this.consent.everWithdrawn(known.id(), channel)) {
				changed |= this.consent.set(known.id(), channel, true, CONSENT_SOURCE + origin);
			}
			else if (channel == ConsentChannel.EMAIL && !imported) {
				this.resubscriptions.ask(filled, CONSENT_SOURCE + origin, now);
			}
		}
		return changed ? this.leads.findById(known.id()).orElseThrow() : known;
	}

	/**
	 * Whether the submission says nothing the lead does not hold already: every detail it gives
	 * is the lead's own, its interests are among the lead's, and it gives no consent now (a channel the lead
	 * withdrew, ticked again, is no consent: only the lead's own way back gives it). The time
	 * zone is left out: it never changes after intake, and a submission without one stands for the
	 * default zone, not for another.
	 */
	boolean bringsNothingNew(Lead known, NewLead submitted) {
		return holds(known.phone(), submitted.phone()) && holds(known.firstName(), submitted.firstName())
				&& holds(known.lastName(), submitted.lastName()) && holds(known.company(), submitted.company())
				&& holds(known.title(), submitted.title()) && holds(known.industry(), submitted.industry())
				&& holds(known.companySize(), submitted.companySize()) && holds(known.country(), submitted.country())
				&& holds(known.source(), submitted.source()) && holds(known.campaign(), submitted.campaign())
				&& known.interests().containsAll(submitted.interests()) && givesNoConsentNow(known, submitted);
	}

	private static boolean holds(Object known, Object submitted) {
		return submitted == null || submitted.equals(known);
	}

	private boolean givesNoConsentNow(Lead known, NewLead submitted) {
		return consentTicked(known, submitted).stream()
			.allMatch((channel) -> this.consent.everWithdrawn(known.id(), channel));
	}

	/**
	 * The channels the submission ticks that the lead has no consent for yet. None while
	 * the lead's email or phone is on the do-not-contact list. SMS consent ticked beside another
	 * number than the one kept is not for that number.
	 */
	private List<ConsentChannel> consentTicked(Lead lead, NewLead submitted) {
		List<ConsentChannel> asked = new ArrayList<>();
		if (submitted.consentEmail() && !lead.consentEmail()) {
			asked.add(ConsentChannel.EMAIL);
		}
		if (submitted.consentSms() && !lead.consentSms()
				&& (submitted.phone() == null || submitted.phone().equals(lead.phone()))) {
			asked.add(ConsentChannel.SMS);
		}
		if (asked.isEmpty() || this.doNotContact.containsAny(lead.email(), lead.phone())) {
			return List.of();
		}
		return asked;
	}

}
