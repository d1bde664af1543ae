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
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a validated lead in: a new email becomes a lead with its journey started, in one
 * transaction; a known email becomes a re-conversion of that lead, which fills in the details it
 * lacked and takes the consent it gives now ({@link Resubmissions}), and is engagement: once it is
 * committed the lead is rescored and its journeys told (a lead it lifts to MQL is handed to a rep
 * as after a reply). Two requests racing on one
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

	private final Reconversions reconversions;

	private final Resubmissions resubmissions;

	private final RepeatedUploads uploads;

	private final TransactionTemplate transaction;

	private final Clock clock;

	LeadIntake(LeadRepository leads, EngagementLog engagement, IdempotentRequests idempotentRequests,
			Journeys journeys, Reconversions reconversions, Resubmissions resubmissions, RepeatedUploads uploads,
			TransactionTemplate transaction, Clock clock) {
		this.leads = leads;
		this.engagement = engagement;
		this.idempotentRequests = idempotentRequests;
		this.journeys = journeys;
		this.reconversions = reconversions;
		this.resubmissions = resubmissions;
		this.uploads = uploads;
		this.transaction = transaction;
		this.clock = clock;
	}

	/** Submits one lead in a transaction of its own. */
	public IntakeResult submit(NewLead lead, String origin) {
		return submit(lead, origin, false);
	}

	/**
	 * Submits one row of an imported list in a transaction of its own. A known lead's row that
	 * repeats an upload ({@link RepeatedUploads}) changes nothing and records no re-conversion
	 * ({@code UNCHANGED}), nor starts a journey for a lead that left its own; one that brings
	 * something new is a re-conversion as through the API, recorded so that the same row again
	 * is known as a repeat.
	 */
	public IntakeResult submitImported(NewLead lead, String origin) {
		return submit(lead, origin, true);
	}

	private IntakeResult submit(NewLead lead, String origin, boolean imported) {
		Returned[] returned = new Returned[1];
		IntakeResult result = retryOnConflict(() -> this.transaction.execute((status) -> {
			returned[0] = null;
			return submitInTransaction(lead, origin, imported, returned);
		}));
		tell(returned[0]);
		return result;
	}

	/**
	 * Submits one lead under an idempotency key: the first request's answer is stored with the
	 * lead, and every later request with the same key and content gets that answer unchanged.
	 */
	public StoredAnswer submit(NewLead lead, String origin, String idempotencyKey, String requestHash,
			Function<IntakeResult, StoredAnswer> answer) {
		Returned[] returned = new Returned[1];
		StoredAnswer stored = retryOnConflict(() -> this.transaction.execute((status) -> {
			returned[0] = null;
			var earlier = this.idempotentRequests.find(idempotencyKey);
			if (earlier.isPresent()) {
				if (!earlier.get().requestHash().equals(requestHash)) {
					throw new IdempotencyKeyReusedException();
				}
				return earlier.get().answer();
			}
			IntakeResult result = submitInTransaction(lead, origin, false, returned);
			StoredAnswer first = answer.apply(result);
			this.idempotentRequests.save(idempotencyKey, requestHash, result.lead().id(), first, now());
			return first;
		}));
		tell(returned[0]);
		return stored;
	}

	/** Takes the lead in; a known lead's re-conversion is left in {@code returned}, to be told once committed. */
	private IntakeResult submitInTransaction(NewLead lead, String origin, boolean imported, Returned[] returned) {
		Instant now = now();
		// a known lead's row is held, so that two submissions of it at once cannot both find it
		// without a journey and each start one (nor both find an imported row new)
		var known = this.leads.findByEmailForUpdate(lead.email());
		if (known.isPresent()) {
			UUID id = known.get().id();
			String repeatKey = null;
			if (imported) {
				if (this.uploads.repeats(known.get(), lead, origin)) {
					return new IntakeResult(known.get(), IntakeResult.Outcome.UNCHANGED,
							this.journeys.activeJourneys(id));
				}
				repeatKey = RepeatedUploads.key(id, lead, origin);
			}
			returned[0] = new Returned(id, this.engagement.record(id, RECONVERSION, origin, now, repeatKey), origin,
					now);
			// in the re-conversion's transaction: the rescoring once it is committed reads what it added
			Lead stored = this.resubmissions.takeIn(known.get(), lead, origin, imported, now);
			if (!this.journeys.isInJourney(id)) {
				stored = startAgain(stored);
			}
			return new IntakeResult(stored, IntakeResult.Outcome.DUPLICATE, this.journeys.activeJourneys(id));
		}
		UUID id = UUID.randomUUID();
		Lead stored = this.leads.insert(id, lead, now);
		return new IntakeResult(stored, IntakeResult.Outcome.CREATED, List.of(this.journeys.startLeadNurture(id)));
	}

	/**
	 * Starts a new journey for a known lead whose journeys ended; returns the lead as stored now.
	 * One that had left the funnel ({@link LeadStage#leftTheFunnel}) is back: its new journey puts
	 * a call in front of a rep, so it is a new lead again rather than {@code UNSUBSCRIBED},
	 * {@code DISQUALIFIED} or {@code CHURNED} while a lead journey runs. What it left behind stays:
	 * the channels it withdrew stay withdrawn, when it churned stays on the lead, and the journey
	 * it left keeps its end and reason in the history.
	 */
	private Lead startAgain(Lead lead) {
		this.journeys.startLeadNurture(lead.id());
		if (!lead.stage().leftTheFunnel()) {
			return lead;
		}
		// the lead's row is held since intake found it: the stage read then is the stage now
		this.leads.updateStage(lead.id(), lead.stage(), LeadStage.NEW);
		return this.leads.findById(lead.id()).orElseThrow();
	}

	/**
	 * Rescores a returning lead and tells its journeys, now that its re-conversion is committed.
	 * Taken in within a caller's transaction (a journey's step recording a referral), nothing is
	 * committed yet: the event is left untold, and the engagement redelivery tells it once it is.
	 * The lead is taken in either way, so a failure to tell is no failure of the submission.
	 */
	private void tell(Returned returned) {
		if (returned == null || TransactionSynchronizationManager.isActualTransactionActive()) {
			return;
		}
		try {
			this.reconversions.reconverted(returned.leadId(), returned.eventId(), returned.origin(), returned.at());
		}
		catch (RuntimeException ex) {
			log.warn("Lead {} submitted again; its journeys are told at the next redelivery: {}", returned.leadId(),
					ex.toString());
		}
	}

	/** A known lead's re-conversion, stored as {@code eventId}. */
	private record Returned(UUID leadId, long eventId, String origin, Instant at) {
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
