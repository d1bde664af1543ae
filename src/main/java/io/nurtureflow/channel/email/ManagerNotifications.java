package io.nurtureflow.channel.email;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.nurtureflow.touch.ComposedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Internal notices to managers (a missed call SLA): an email to {@code NURTURE_MANAGER_EMAILS}
 * when SMTP is configured, a log line always.
 * <p>
 * Like a touch, each email is claimed under its key (the notice's key and the manager) and the
 * claim committed before it leaves, and marked sent right after. The job that sends it runs at
 * least once, so a retry, a second node or a restart after a crash finds the claim and sends
 * nothing: a claim still {@code SENDING} means a node died between handing the email over and
 * recording it, and the manager may have it already. Only a send that certainly failed gives
 * its claim back for the retry.
 */
@Service
public class ManagerNotifications {

	private static final Logger log = LoggerFactory.getLogger(ManagerNotifications.class);

	private final EmailChannel email;

	private final List<String> managers;

	private final NoticeLedger ledger;

	private final TransactionTemplate ownTransaction;

	private final Clock clock;

	ManagerNotifications(EmailChannel email, EmailProperties properties, NoticeLedger ledger,
			PlatformTransactionManager transactions, Clock clock) {
		this.email = email;
		this.managers = properties.managerEmails();
		this.ledger = ledger;
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock;
	}

	/**
	 * Tells every manager, at most once per notice key.
	 *
	 * @param key the same on every attempt of the same notice, new for another one
	 */
	public void notify(String key, String subject, String text) {
		log.warn("Manager notice: {}", subject);
		if (!this.email.live() || this.managers.isEmpty()) {
			return;
		}
		for (String manager : this.managers) {
			send(key + ":" + manager, new ComposedMessage(manager, subject, text, null, Map.of()));
		}
	}

	private void send(String claim, ComposedMessage message) {
		if (!inOwnTransaction(() -> this.ledger.claim(claim, this.clock.instant()))) {
			// SENDING: an attempt claimed it and never recorded the result, so it may have gone out
			log.info("Manager notice {} was claimed before ({}); not sent again", claim,
					this.ledger.status(claim).orElse("released since"));
			return;
		}
		try {
			this.email.transmit(message);
		}
		catch (RuntimeException ex) {
			inOwnTransaction(() -> {
				this.ledger.release(claim);
				return null;
			});
			throw ex;
		}
		inOwnTransaction(() -> {
			this.ledger.sent(claim, this.clock.instant());
			return null;
		});
	}

	private <T> T inOwnTransaction(Supplier<T> work) {
		return this.ownTransaction.execute((status) -> work.get());
	}

}
