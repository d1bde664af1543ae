package io.nurtureflow.touch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.touch.policy.ContactPolicy;
import io.nurtureflow.touch.policy.PolicyDecision;
import io.nurtureflow.touch.policy.PolicyDecision.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every touch a journey makes comes through here, in the journey step's transaction.
 * <ol>
 * <li>A touch already in the ledger under its key is not made again: a retried step gets the
 * first outcome.</li>
 * <li>The contact policy may skip or defer it; both are recorded with the reason. It decides
 * with the lead's row held, and the touch is in the ledger (recorded, or claimed to be sent)
 * before the row is let go: touches of one lead decided at the same moment (the journeys'
 * parallel branches, two journeys) are decided one after the other, so the frequency cap
 * holds.</li>
 * <li>Without a configured provider the message is composed and recorded
 * ({@link TouchStatus#RECORDED}), never dropped.</li>
 * <li>Otherwise the key is claimed as being sent and committed before anything leaves, and the
 * result is committed right after, each in a transaction of its own: a retry looks at the claim
 * first. A claim found mid-send means a node died between claiming and committing the result;
 * that touch is not sent again, so no lead ever gets it twice. A failed attempt gives the claim
 * back ({@link TouchStatus#PENDING}), and the retry asks the contact policy again and claims it
 * again before it sends.</li>
 * <li>A journey that ends while one of its touches waits for its next try takes the touch with
 * it ({@link #journeyEnded}).</li>
 * </ol>
 */
@Service
public class TouchDispatcher {

	private static final Logger log = LoggerFactory.getLogger(TouchDispatcher.class);

	static final String RECORD_ONLY = "record-only: no provider configured";

	/**
	 * How long the outcome of an attempt is tried to be committed while the database cannot be
	 * reached: a PostgreSQL restart or failover, well inside the job's lock.
	 */
	static final Duration OUTCOME_PATIENCE = Duration.ofSeconds(30);

	static final String JOURNEY_ENDED = "the journey ended before its next try";

	static final String INTERRUPTED = "interrupted while sending; not sent again so the lead never gets it twice";

	private final TouchLedger ledger;

	private final LeadRepository leads;

	private final ContactPolicy policy;

	private final Map<Channel, TouchChannel> channels = new EnumMap<>(Channel.class);

	private final TransactionTemplate ownTransaction;

	private final Clock clock;

	TouchDispatcher(TouchLedger ledger, LeadRepository leads, ContactPolicy policy, List<TouchChannel> channels,
			PlatformTransactionManager transactions, Clock clock) {
		this.ledger = ledger;
		this.leads = leads;
		this.policy = policy;
		channels.forEach((channel) -> this.channels.put(channel.channel(), channel));
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock;
	}

	@Transactional
	public TouchOutcome dispatch(TouchRequest request) {
		var known = this.ledger.findByKey(request.idempotencyKey());
		if (known.isPresent()) {
			return resume(known.get(), request);
		}
		return channel(request).live() ? sendIfAllowed(request) : recordIfAllowed(request);
	}

	/**
	 * A journey ended (through an exit, or deleted with its lead) while touches of it waited for
	 * their next try: their jobs went with it, so they are skipped rather than left pending, where
	 * they would count against the frequency cap and show as pending on the lead's timeline.
	 */
	public void journeyEnded(UUID leadId, String processInstanceId) {
		int abandoned = this.ledger.abandonPending(leadId, processInstanceId, JOURNEY_ENDED, this.clock.instant());
		if (abandoned > 0) {
			log.info("Journey {} of lead {} ended with {} touch(es) waiting for their next try; skipped",
					processInstanceId, leadId, abandoned);
		}
	}

	/** Decided and recorded in the step's transaction, which holds the lead's row until it ends. */
	private TouchOutcome recordIfAllowed(TouchRequest request) {
		Lead lead = heldLead(request);
		PolicyDecision decision = decide(lead, request);
		if (decision.verdict() != Verdict.SEND) {
			return decided(request, decision);
		}
		long id = this.ledger.insert(request, TouchStatus.RECORDED, RECORD_ONLY, null, this.clock.instant());
		this.ledger.recordMessage(id, channel(request).compose(id, lead, request.content()));
		return new TouchOutcome(id, TouchStatus.RECORDED, RECORD_ONLY, null);
	}

	/**
	 * Decided and claimed in a transaction of its own, which holds the lead's row only that long:
	 * the send's result, committed later, updates the lead too.
	 */
	private TouchOutcome sendIfAllowed(TouchRequest request) {
		Claim claim;
		try {
			// claimed and counted as an attempt in one commit
			claim = inOwnTransaction(() -> {
				Lead lead = heldLead(request);
				PolicyDecision decision = decide(lead, request);
				return new Claim(lead, decision, (decision.verdict() != Verdict.SEND) ? null
						: this.ledger.insert(request, TouchStatus.SENDING, null, null, this.clock.instant()));
			});
		}
		catch (DuplicateKeyException ex) {
			return resume(this.ledger.findByKey(request.idempotencyKey()).orElseThrow(), request);
		}
		return (claim.id() != null) ? transmit(claim.id(), request, claim.lead()) : decided(request, claim.decision());
	}

	private Lead heldLead(TouchRequest request) {
		return this.leads.findByIdForUpdate(request.leadId())
			.orElseThrow(() -> new IllegalStateException("Journey refers to unknown lead " + request.leadId()));
	}

	private PolicyDecision decide(Lead lead, TouchRequest request) {
		return this.policy.decide(lead, request.channel(), this.clock.instant());
	}

	private TouchOutcome decided(TouchRequest request, PolicyDecision decision) {
		TouchStatus status = (decision.verdict() == Verdict.SKIP) ? TouchStatus.SKIPPED : TouchStatus.DEFERRED;
		long id = this.ledger.insert(request, status, decision.reason(), decision.until(), this.clock.instant());
		// routine (no consent, quiet hours): the ledger keeps the reason, the log would only repeat it
		log.debug("Touch {} {}: {}", request.idempotencyKey(), status, decision.reason());
		return new TouchOutcome(id, status, decision.reason(), decision.until());
	}

	private TouchOutcome resume(Touch touch, TouchRequest request) {
		return switch (touch.status()) {
			case PENDING -> attempt(touch.id(), request);
			case SENDING -> {
				log.warn("Touch {} was interrupted while sending; marking it failed instead of sending again",
						touch.idempotencyKey());
				inOwnTransaction(() -> {
					this.ledger.finish(touch.id(), TouchStatus.FAILED, null, INTERRUPTED, this.clock.instant());
					return null;
				});
				yield TouchOutcome.of(this.ledger.findById(touch.id()).orElseThrow());
			}
			default -> {
				log.info("Touch {} is already {}; not made again", touch.idempotencyKey(), touch.status());
				yield TouchOutcome.of(touch);
			}
		};
	}

	/**
	 * Another attempt at a touch whose last one failed. What may have changed for the lead since
	 * is asked again first, with the touch's row and then the lead's held
	 * ({@link ContactPolicy#decideAgain}): a lead that
	 * withdrew consent or was put on the do-not-contact list meanwhile is not sent to, and a retry
	 * that falls into quiet hours is deferred.
	 */
	private TouchOutcome attempt(long id, TouchRequest request) {
		Retry retry = inOwnTransaction(() -> {
			if (!this.ledger.holdPending(id)) {
				return new Retry(null, null, false);
			}
			Lead lead = heldLead(request);
			Instant now = this.clock.instant();
			PolicyDecision decision = this.policy.decideAgain(lead, request.channel(), now);
			return new Retry(lead, decision, (decision.verdict() == Verdict.SEND) ? this.ledger.startAttempt(id, now)
					: this.ledger.settle(id, decision, now));
		});
		if (!retry.taken()) {
			// another node or thread took the attempt between our read and our claim
			return resume(this.ledger.findById(id).orElseThrow(), request);
		}
		if (retry.decision().verdict() != Verdict.SEND) {
			log.info("Touch {} not attempted again: {}", request.idempotencyKey(), retry.decision().reason());
			return TouchOutcome.of(this.ledger.findById(id).orElseThrow());
		}
		return transmit(id, request, retry.lead());
	}

	/** Sends a touch claimed as {@link TouchStatus#SENDING} and commits what became of it. */
	private TouchOutcome transmit(long id, TouchRequest request, Lead lead) {
		TouchChannel channel = channel(request);
		String providerId;
		try {
			// composed inside: a content error gives the claim back like a failed send, so the
			// step's retries and its incident show it, and a fixed piece is sent on the next try
			providerId = channel.transmit(channel.compose(id, lead, request.content()));
		}
		catch (PermanentSendFailure ex) {
			recordOutcome(request, () -> {
				this.ledger.finish(id, TouchStatus.FAILED, null, ex.getMessage(), this.clock.instant());
				this.leads.countFailedTouch(lead.id());
			});
			log.warn("Touch {} failed for good: {}", request.idempotencyKey(), ex.getMessage());
			return TouchOutcome.of(this.ledger.findById(id).orElseThrow());
		}
		catch (RuntimeException ex) {
			recordOutcome(request, () -> this.ledger.attemptFailed(id, ex.toString(), this.clock.instant()));
			throw ex;
		}
		recordOutcome(request, () -> this.ledger.finish(id, TouchStatus.SENT, providerId, null, this.clock.instant()));
		return new TouchOutcome(id, TouchStatus.SENT, null, null);
	}

	private TouchChannel channel(TouchRequest request) {
		TouchChannel channel = this.channels.get(request.channel());
		if (channel == null) {
			throw new IllegalStateException("No channel for " + request.channel());
		}
		return channel;
	}

	/**
	 * Commits what became of an attempt, trying again for up to {@link #OUTCOME_PATIENCE} while the
	 * database cannot be reached (a restart, a failover). Given up, the touch stays claimed: its
	 * retry cannot tell whether the message left, so it is marked failed and never sent again.
	 * Waited out here, the ledger keeps the truth: sent (with the provider's id, which delivery news
	 * is matched by), or given back to be tried again.
	 */
	private void recordOutcome(TouchRequest request, Runnable write) {
		long deadline = System.nanoTime() + OUTCOME_PATIENCE.toNanos();
		for (int attempt = 1;; attempt++) {
			try {
				inOwnTransaction(() -> {
					write.run();
					return null;
				});
				return;
			}
			catch (CannotCreateTransactionException | DataAccessResourceFailureException ex) {
				if (System.nanoTime() >= deadline) {
					throw ex;
				}
				log.warn("Touch {}: the database cannot be reached to record what became of it (attempt {}); "
						+ "trying again", request.idempotencyKey(), attempt);
				pause(Math.min(5_000L, 250L * attempt));
			}
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the database", ex);
		}
	}

	private <T> T inOwnTransaction(Supplier<T> work) {
		return this.ownTransaction.execute((status) -> work.get());
	}

	/** What a live touch's decision left: the touch's ledger id if it was claimed to be sent. */
	private record Claim(Lead lead, PolicyDecision decision, Long id) {
	}

	/** A retry's decision, and whether this thread took the touch for it (moved it out of PENDING). */
	private record Retry(Lead lead, PolicyDecision decision, boolean taken) {
	}

}
