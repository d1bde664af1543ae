package io.nurtureflow.lead;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a validated lead in: a new email becomes a lead with its journey started, in one
 * transaction; a known email becomes a re-conversion of that lead. Two requests racing on one
 * email (or one idempotency key) meet at a unique constraint, or at the known lead's row: the
 * loser waits, or rolls back whole and runs again, and then finds the winner's lead, journey or
 * answer.
 */
@Service
public class LeadIntake {

	private static final Logger log = LoggerFactory.getLogger(LeadIntake.class);

	static final String RECONVERSION = "RECONVERSION";

	private final LeadRepository leads;

	private final EngagementLog engagement;

	private final IdempotentRequests idempotentRequests;

	private final Journeys journeys;

	private final TransactionTemplate transaction;

	private final Clock clock;

	LeadIntake(LeadRepository leads, EngagementLog engagement, IdempotentRequests idempotentRequests,
			Journeys journeys, TransactionTemplate transaction, Clock clock) {
		this.leads = leads;
		this.engagement = engagement;
		this.idempotentRequests = idempotentRequests;
		this.journeys = journeys;
		this.transaction = transaction;
		this.clock = clock;
	}

	/** Submits one lead in a transaction of its own. */
	public IntakeResult submit(NewLead lead, String origin) {
		return retryOnConflict(() -> this.transaction.execute((status) -> submitInTransaction(lead, origin)));
	}

	/**
	 * Submits one lead under an idempotency key: the first request's answer is stored with the
	 * lead, and every later request with the same key and content gets that answer unchanged.
	 */
	public StoredAnswer submit(NewLead lead, String origin, String idempotencyKey, String requestHash,
			Function<IntakeResult, StoredAnswer> answer) {
		return retryOnConflict(() -> this.transaction.execute((status) -> {
			var stored = this.idempotentRequests.find(idempotencyKey);
			if (stored.isPresent()) {
				if (!stored.get().requestHash().equals(requestHash)) {
					throw new IdempotencyKeyReusedException();
				}
				return stored.get().answer();
			}
			IntakeResult result = submitInTransaction(lead, origin);
			StoredAnswer first = answer.apply(result);
			this.idempotentRequests.save(idempotencyKey, requestHash, result.lead().id(), first, now());
			return first;
		}));
	}

	private IntakeResult submitInTransaction(NewLead lead, String origin) {
		Instant now = now();
		// a known lead's row is held, so that two submissions of it at once cannot both find it
		// without a journey and each start one
		var known = this.leads.findByEmailForUpdate(lead.email());
		if (known.isPresent()) {
			UUID id = known.get().id();
			this.engagement.record(id, RECONVERSION, origin, now);
			if (!this.journeys.isInJourney(id)) {
				this.journeys.startLeadNurture(id);
			}
			return new IntakeResult(known.get(), IntakeResult.Outcome.DUPLICATE, this.journeys.activeJourneys(id));
		}
		UUID id = UUID.randomUUID();
		Lead stored = this.leads.insert(id, lead, now);
		return new IntakeResult(stored, IntakeResult.Outcome.CREATED, List.of(this.journeys.startLeadNurture(id)));
	}

	/** A unique key won by a concurrent submission, or the known lead's row held by one. */
	private static <T> T retryOnConflict(Supplier<T> work) {
		return RunAgain.when((ex) -> ex instanceof DuplicateKeyException || RunAgain.lostALock(ex), work, log,
				"Submission");
	}

	private Instant now() {
		return this.clock.instant();
	}

}
