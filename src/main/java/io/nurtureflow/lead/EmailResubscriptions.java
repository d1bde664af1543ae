package io.nurtureflow.lead;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.nurtureflow.lead.LeadConsent.ConsentChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The way back to email for a lead that withdrew it. A form cannot give that consent back, as
 * anyone who knows the address can type it into one; so a lead ticking it on a form again is
 * asked at that address to confirm, by a signed link ({@link ResubscribeMail}), and following the
 * link gives the consent back. The email answers the lead's own request: it is no touch of a
 * journey, so neither the frequency cap nor quiet hours hold it. Instead a lead gets at most one
 * per {@code NURTURE_RESUBSCRIBE_PERIOD}, and its link works that long: a form cannot be used to
 * fill someone's mailbox, and a lead has one working link at a time.
 */
@Service
public class EmailResubscriptions {

	private static final Logger log = LoggerFactory.getLogger(EmailResubscriptions.class);

	static final String CONSENT_SOURCE = "confirmed by email link";

	/** Where the link of a request stands. */
	public enum LinkState {

		/** It gives the consent back when followed. */
		OPEN,

		/** It gave the consent back. */
		CONFIRMED,

		/** Its period is over: a form sent again asks anew. */
		EXPIRED,

		/** The lead's email or phone is on the do-not-contact list: no consent is given. */
		BLOCKED,

		/** No such request of the lead (erased with it). */
		UNKNOWN

	}

	private final JdbcClient jdbc;

	private final LeadRepository leads;

	private final LeadConsent consent;

	private final DoNotContactList doNotContact;

	private final ResubscribeDelivery delivery;

	private final Duration period;

	private final Clock clock;

	EmailResubscriptions(JdbcClient jdbc, LeadRepository leads, LeadConsent consent, DoNotContactList doNotContact,
			ResubscribeDelivery delivery, LeadProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.leads = leads;
		this.consent = consent;
		this.doNotContact = doNotContact;
		this.delivery = delivery;
		this.period = properties.resubscribePeriod();
		this.clock = clock;
	}

	/**
	 * Asks the lead to confirm, unless it was asked within the period. The caller holds the lead's
	 * row, so submissions at the same moment ask once. The stored request is the email's outbox:
	 * the email leaves once the caller's transaction has committed, off the caller's thread and
	 * tried again while the SMTP server fails ({@link ResubscribeDelivery}); a link never names a
	 * request that was rolled back, and a submission run again after a collision asks only once.
	 */
	void ask(Lead lead, String source, Instant now) {
		if (askedWithinThePeriod(lead.id(), now)) {
			log.debug("Lead {} was asked to confirm its email within {}; not asked again", lead.id(), this.period);
			return;
		}
		var id = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into email_resubscription (lead_id, source, status, asked_at, next_try_at)
				values (?, ?, 'ASKED', ?, ?)""")
			.params(lead.id(), source, Timestamp.from(now), Timestamp.from(now))
			.update(id, "id");
		this.delivery.take(id.getKeyAs(Long.class), lead, now);
	}

	/** Where the link of the lead's request {@code id} stands; changes nothing (mail scanners open links). */
	public LinkState state(long id, UUID leadId) {
		return this.leads.findById(leadId).map((lead) -> state(id, lead)).orElse(LinkState.UNKNOWN);
	}

	/**
	 * Follows the link of the lead's request {@code id}: while it is {@link LinkState#OPEN}, gives
	 * the lead's email consent back and marks the link used. Answers where the link stands now, so
	 * {@link LinkState#CONFIRMED} also when it was followed before.
	 */
	@Transactional
	public LinkState confirm(long id, UUID leadId) {
		// the lead's row first, as intake holds it while it asks: a confirmation and a submission
		// of one lead take turns
		LinkState state = this.leads.findByIdForUpdate(leadId).map((lead) -> state(id, lead)).orElse(LinkState.UNKNOWN);
		if (state != LinkState.OPEN) {
			return state;
		}
		this.jdbc.sql("update email_resubscription set confirmed_at = ? where id = ?")
			.params(Timestamp.from(this.clock.instant()), id)
			.update();
		this.consent.set(leadId, ConsentChannel.EMAIL, true, CONSENT_SOURCE);
		return LinkState.CONFIRMED;
	}

	private LinkState state(long id, Lead lead) {
		record Request(Instant askedAt, boolean confirmed) {
		}
		var request = this.jdbc.sql("select asked_at, confirmed_at from email_resubscription where id = ? and lead_id = ?")
			.params(id, lead.id())
			.query((rs, n) -> new Request(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2) != null))
			.optional();
		if (request.isEmpty()) {
			return LinkState.UNKNOWN;
		}
		if (request.get().confirmed()) {
			return LinkState.CONFIRMED;
		}
		if (!this.clock.instant().isBefore(request.get().askedAt().plus(this.period))) {
			return LinkState.EXPIRED;
		}
		return this.doNotContact.containsAny(lead.email(), lead.phone()) ? LinkState.BLOCKED : LinkState.OPEN;
	}

	/**
	 * Whether the lead was asked within the period. An email given up does not count, so the next
	 * form asks again at once; one still {@code ASKED} does, as it is being sent.
	 */
	private boolean askedWithinThePeriod(UUID leadId, Instant now) {
		return this.jdbc.sql("""
				select count(*) from email_resubscription
				where lead_id = ? and asked_at > ? and status <> 'FAILED'""")
			.params(leadId, Timestamp.from(now.minus(this.period)))
			.query(Long.class)
			.single() > 0;
	}

}
