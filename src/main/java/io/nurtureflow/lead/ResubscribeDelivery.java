package io.nurtureflow.lead;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.lead.ResubscribeMail.Message;
import io.nurtureflow.lead.ResubscribeMail.Refused;
import io.nurtureflow.lead.ResubscribeMetrics.GiveUp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends the emails asking leads to confirm they want email again ({@link EmailResubscriptions})
 * from their stored rows: the row is the outbox. A form's request only stores the row, so its
 * answer never waits for the SMTP server; once that is committed, a thread of this node tries to
 * send it. A try that failed is tried again after a growing wait ({@link ResubscribeBackoff}) by
 * the look every node makes each {@code NURTURE_RESUBSCRIBE_RETRY}, which also takes a row whose
 * node stopped before sending it. An email whose link would expire before its next try is given
 * up, as is one the server refuses for good or whose lead is now on the do-not-contact list:
 * marked {@code FAILED}, so the lead's next form asks again.
 * <p>
 * Each try is claimed first, by raising the row's count of tries from the count read, so of the
 * threads and nodes meeting on a row one sends it, and the claim holds the row for the longest a
 * send can take (it is cut off then, {@link ResubscribeMail#longestSend()}) and the wait after a
 * failure. A node that handed the email over but stopped before storing that leaves the row to
 * be sent again after the hold: the SMTP server takes no part in the claim.
 */
@Component
public class ResubscribeDelivery implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ResubscribeDelivery.class);

	/** Requests one look takes at most; the rest wait for the next. */
	public static final int BATCH = 100;

	/**
	 * How long after it was asked a look takes a row stored by a node of the release before V26,
	 * which sends the email itself right after its commit (two tries of NURTURE_SMTP_TIMEOUT).
	 */
	static final Duration EARLIER_RELEASE_SENDS = Duration.ofMinutes(5);

	/** How long a stopping node waits past the send under way for what became of it to be stored. */
	static final Duration STORING = Duration.ofSeconds(10);

	private final JdbcClient jdbc;

	private final LeadRepository leads;

	private final DoNotContactList doNotContact;

	private final ResubscribeMail mail;

	private final Duration period;

	private final Clock clock;

	private final ResubscribeMetrics metrics;

	private final ThreadPoolTaskScheduler sender = new ThreadPoolTaskScheduler();

	private volatile boolean stopping;

	ResubscribeDelivery(JdbcClient jdbc, LeadRepository leads, DoNotContactList doNotContact, ResubscribeMail mail,
			LeadProperties properties, Clock clock, ResubscribeMetrics metrics) {
		requireRoomForATryAfterAClaim(mail.longestSend(), properties.resubscribePeriod());
		this.jdbc = jdbc;
		this.leads = leads;
		this.doNotContact = doNotContact;
		this.mail = mail;
		this.period = properties.resubscribePeriod();
		this.clock = clock;
		this.metrics = metrics;
		// a thread of its own: an SMTP server that hangs holds neither a request nor other scheduled work
		this.sender.setThreadNamePrefix("resubscribe-mail-");
		this.sender.setDaemon(true);
		// stopping, the node finishes the send under way (cut off after longestSend); see destroy()
		this.sender.setWaitForTasksToCompleteOnShutdown(true);
		this.sender.setAwaitTerminationMillis(mail.longestSend().plus(STORING).toMillis());
		this.sender.initialize();
		if (properties.retriesResubscribeMail()) {
			Duration every = properties.resubscribeRetry();
			this.sender.scheduleWithFixedDelay(this::look, Instant.now().plus(every), every);
		}
	}

	/**
	 * Refuses a period the first claim would fill: a node that stopped while sending would leave
	 * its request to expire before any other could try it.
	 */
	static void requireRoomForATryAfterAClaim(Duration longestSend, Duration period) {
		Duration held = ResubscribeBackoff.held(1, longestSend);
		if (held.compareTo(period.dividedBy(2)) > 0) {
			throw new IllegalArgumentException(("A send of the email asking a lead to confirm it wants email again "
					+ "may take up to %s (two tries, each cut off after 6 times NURTURE_SMTP_TIMEOUT), so a try holds "
					+ "its request %s against other nodes; that must be at most half of NURTURE_RESUBSCRIBE_PERIOD (%s), "
					+ "or a request whose node stopped while sending could expire before another tries it. Lower "
					+ "NURTURE_SMTP_TIMEOUT or raise NURTURE_RESUBSCRIBE_PERIOD").formatted(longestSend, held, period));
		}
	}

	/**
	 * Stops sending: waits for the send under way, so that what became of it is stored rather
	 * than left to be sent again once its claim runs out; a look takes no further request. The
	 * sends queued are dropped: their requests, unclaimed, are due for the next look of any node.
	 */
	@Override
	public void destroy() {
		this.stopping = true;
		this.sender.shutdown();
	}

	/**
	 * Takes the request {@code id} asked for the lead in the caller's transaction. Without an
	 * SMTP server its email is recorded in that transaction, as touches are in record-only mode;
	 * else it is sent once the transaction has committed, by this node's sending thread.
	 */
	void take(long id, Lead lead, Instant askedAt) {
		Due request = new Due(id, lead.id(), askedAt, 0);
		if (!this.mail.live()) {
			tryOnce(request, lead);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				sendSoon(request, lead);
			}
		});
	}

	/**
	 * One look: tries the requests due, at most {@value #BATCH}, each as claimed by this look
	 * alone (by the engine's clock), then counts those left for the metrics. Answers how many it
	 * sent (or recorded).
	 */
	public int sendDue() {
		Instant now = this.clock.instant();
		List<Due> due = this.jdbc.sql("""
				select id, lead_id, asked_at, tries from email_resubscription
				where status = 'ASKED' and (next_try_at <= ? or (next_try_at is null and asked_at <= ?))
				order by id
				fetch first %d rows only""".formatted(BATCH))
			.params(Timestamp.from(now), Timestamp.from(now.minus(EARLIER_RELEASE_SENDS)))
			.query((row, n) -> new Due(row.getLong("id"), row.getObject("lead_id", UUID.class),
					row.getTimestamp("asked_at").toInstant(), row.getInt("tries")))
			.list();
		int sent = 0;
		for (Due request : due) {
			if (this.stopping) {
				break;
			}
			// a lead erased meanwhile took its requests with it
			if (this.leads.findById(request.leadId()).map((lead) -> tryOnce(request, lead)).orElse(false)) {
				sent++;
			}
		}
		if (!due.isEmpty()) {
			log.info("Sent {} of {} emails asking a lead to confirm it wants email again that were due", sent, due.size());
		}
		count(now);
		return sent;
	}

	/**
	 * Counts the requests waiting, and those of them due when the look began that no look tried
	 * since: a try moves the time of the next. Reads only the waiting rows, by their index.
	 */
	private void count(Instant lookBegan) {
		long[] left = this.jdbc.sql("""
				select count(*), coalesce(sum(case when next_try_at <= ? or (next_try_at is null and asked_at <= ?)
				                                   then 1 else 0 end), 0)
				from email_resubscription where status = 'ASKED'""")
			.params(Timestamp.from(lookBegan), Timestamp.from(lookBegan.minus(EARLIER_RELEASE_SENDS)))
			.query((row, n) -> new long[] { row.getLong(1), row.getLong(2) })
			.single();
		this.metrics.counted(left[0], left[1]);
	}

	private void look() {
		try {
			sendDue();
		}
		catch (RuntimeException ex) {
			// the database is down: the requests wait in it, the next look takes them
			log.warn("No look for emails asking a lead to confirm this time: {}", ex.toString());
		}
	}

	private void sendSoon(Due request, Lead lead) {
		try {
			this.sender.execute(() -> {
				if (this.stopping) {
					log.debug("The node is stopping; the email asking lead {} to confirm waits for a look", lead.id());
					return;
				}
				try {
					tryOnce(request, lead);
				}
				catch (RuntimeException ex) {
					log.warn("The email asking lead {} to confirm it wants email again waits for a look: {}",
							lead.id(), ex.toString());
				}
			});
		}
		catch (TaskRejectedException ex) {
			log.debug("The node is stopping; the email asking lead {} to confirm waits for a look", lead.id());
		}
	}

	/** Tries the request's email once, unless it is given up first or another claimed this try. */
	private boolean tryOnce(Due request, Lead lead) {
		if (!this.clock.instant().isBefore(request.askedAt().plus(this.period))) {
			giveUp(request, request.tries(), GiveUp.EXPIRED, "its link expired before it could be sent");
			return false;
		}
		if (this.doNotContact.containsAny(lead.email(), lead.phone())) {
			giveUp(request, request.tries(), GiveUp.DO_NOT_CONTACT, "the lead is on the do-not-contact list");
			return false;
		}
		if (!claim(request)) {
			return false;
		}
		int tries = request.tries() + 1;
		Message message;
		String providerId = null;
		try {
			message = this.mail.compose(request.id(), lead);
			if (this.mail.live()) {
				providerId = this.mail.send(message);
			}
		}
		catch (Refused ex) {
			giveUp(request, tries, GiveUp.REFUSED, "the mail server refused it: " + ex.getMessage());
			return false;
		}
		catch (RuntimeException ex) {
			failed(request, tries, ex);
			return false;
		}
		if (providerId != null) {
			this.jdbc.sql("""
					update email_resubscription set status = 'SENT', provider_id = ?, last_error = null
					where id = ? and status = 'ASKED'""").params(providerId, request.id()).update();
		}
		else {
			// as touches are in record-only mode: rendered and kept, never dropped
			this.jdbc.sql("""
					update email_resubscription set status = 'RECORDED', subject = ?, body = ?, html = ?, last_error = null
					where id = ? and status = 'ASKED'""")
				.params(message.subject(), message.text(), message.html(), request.id())
				.update();
		}
		return true;
	}

	/**
	 * Claims this try of the request, unless another thread or node tried it since it was read;
	 * holds it while its send may last and the wait after a failed try, so that no other tries it
	 * while it may be leaving.
	 */
	private boolean claim(Due request) {
		Instant heldUntil = this.clock.instant()
			.plus(ResubscribeBackoff.held(request.tries() + 1, this.mail.longestSend()));
		return this.jdbc.sql("""
				update email_resubscription set tries = tries + 1, next_try_at = ?
				where id = ? and status = 'ASKED' and tries = ?""")
			.params(Timestamp.from(heldUntil), request.id(), request.tries())
			.update() == 1;
	}

	/** A try that failed: tried again after the wait, unless the link would be useless by then. */
	private void failed(Due request, int tries, RuntimeException ex) {
		Instant next = this.clock.instant().plus(ResubscribeBackoff.after(tries));
		if (!next.isBefore(request.askedAt().plus(this.period))) {
			giveUp(request, tries, GiveUp.EXPIRED, "its link would expire before another try; the last failed: " + ex);
			return;
		}
		log.warn("The email asking lead {} to confirm it wants email again was not sent (try {}); tried again at {}: {}",
				request.leadId(), tries, next, ex.toString());
		this.jdbc.sql("""
				update email_resubscription set next_try_at = ?, last_error = ?
				where id = ? and status = 'ASKED' and tries = ?""")
			.params(Timestamp.from(next), abbreviate(ex.toString()), request.id(), tries)
			.update();
	}

	/** Marks the request failed for good; it no longer counts against the period, so the lead's next form asks again. */
	private void giveUp(Due request, int tries, GiveUp reason, String why) {
		int given = this.jdbc.sql("""
				update email_resubscription set status = 'FAILED', last_error = ?
				where id = ? and status = 'ASKED' and tries = ?""")
			.params(abbreviate("given up: " + why), request.id(), tries)
			.update();
		if (given == 1) {
			this.metrics.gaveUp(reason);
			log.warn("Gave up the email asking lead {} to confirm it wants email again after {} tries: {}; "
					+ "its next form asks again", request.leadId(), tries, why);
		}
	}

	private static String abbreviate(String text) {
		return (text.length() <= 1000) ? text : text.substring(0, 997) + "...";
	}

	/** A request still to be sent, as read, with the count of its tries. */
	private record Due(long id, UUID leadId, Instant askedAt, int tries) {
	}

}
