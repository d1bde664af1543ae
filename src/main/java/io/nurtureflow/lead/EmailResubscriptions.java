package io.nurtureflow.lead;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.nurtureflow.lead.LeadConsent.ConsentChannel;
import io.nurtureflow.lead.ResubscribeMail.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

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

	private final ResubscribeMail mail;

	private final Duration period;

	private final TransactionTemplate ownTransaction;

	private final Clock clock;

	EmailResubscriptions(JdbcClient jdbc, LeadRepository leads, LeadConsent consent, DoNotContactList doNotContact,
			ResubscribeMail mail, LeadProperties properties, PlatformTransactionManager transactions, Clock clock) {
		this.jdbc = jdbc;
		this.leads = leads;
		this.consent = consent;
		this.doNotContact = doNotContact;
		this.mail = mail;
		this.period = properties.resubscribePeriod();
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock;
	}

	/**
	 * Asks the lead to confirm, unless it was asked within the period. The caller holds the lead's
	 * row, so submissions at the same moment ask once. The email leaves once the caller's
	 * transaction has committed: a link never names a request that was rolled back, and a
	 * submission run again after a collision asks only once.
	 */
	void ask(Lead lead, String source, Instant now) {
		if (askedWithinThePeriod(lead.id(), now)) {
			log.debug("Lead {} was asked to confirm its email within {}; not asked again", lead.id(), this.period);
			return;
		}
		var id = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into email_resubscription (lead_id, source, status, asked_at)
				values (?, ?, 'ASKED', ?)""").params(lead.id(), source, Timestamp.from(now)).update(id, "id");
		long request = id.getKeyAs(Long.class);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				send(request, lead);
			}
		});
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
	 * Whether the lead was asked within the period. An email that failed to leave does not count,
	 * so the next form asks again at once; one still {@code ASKED} does, as it may be leaving now.
	 */
	private boolean askedWithinThePeriod(UUID leadId, Instant now) {
		return this.jdbc.sql("""
				select count(*) from email_resubscription
				where lead_id = ? and asked_at > ? and status <> 'FAILED'""")
			.params(leadId, Timestamp.from(now.minus(this.period)))
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Sends the request's email once the submission that asked is committed. A failure fails no
	 * submission: the lead is stored, and the email is marked failed rather than sent later, so
	 * the lead's next form asks again at once.
	 */
	private void send(long id, Lead lead) {
		try {
			Message message = this.mail.compose(id, lead);
			if (this.mail.live()) {
				inOwnTransaction("update email_resubscription set status = 'SENT', provider_id = ? where id = ?",
						this.mail.send(message), id);
			}
			else {
				// as touches are in record-only mode: rendered and kept, never dropped
				inOwnTransaction("""
						update email_resubscription set status = 'RECORDED', subject = ?, body = ?, html = ?
						where id = ?""", message.subject(), message.text(), message.html(), id);
			}
		}
		catch (RuntimeException ex) {
			log.warn("The email asking lead {} to confirm it wants email again was not sent; "
					+ "its next form asks again: {}", lead.id(), ex.toString());
			inOwnTransaction("update email_resubscription set status = 'FAILED', last_error = ? where id = ?",
					abbreviate(ex.toString()), id);
		}
	}

	/** A change of its own: after the asking transaction's commit, that transaction takes no more work. */
	private void inOwnTransaction(String sql, Object... params) {
		this.ownTransaction.executeWithoutResult((status) -> this.jdbc.sql(sql).params(params).update());
	}

	private static String abbreviate(String text) {
		return (text.length() <= 1000) ? text : text.substring(0, 997) + "...";
	}

}
