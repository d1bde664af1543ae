package io.nurtureflow.engagement;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.nurtureflow.lead.LeadMilestone;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.lead.Reconversions;
import io.nurtureflow.lead.RunAgain;
import io.nurtureflow.scoring.LeadScoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores what a lead did and then tells the lead's journeys. The event is committed first, so it
 * is kept even if a journey cannot take it; an event whose dedupe key is known is dropped as a
 * replay, unless its journeys were never told (then the replay tells them, once). An event left
 * untold otherwise (the node stopped in between) is told by {@link EngagementRedelivery}. Storing
 * and scoring run again when they lost a lock to another transaction.
 */
@Service
public class EngagementRecorder implements Reconversions {

	private static final Logger log = LoggerFactory.getLogger(EngagementRecorder.class);

	private static final java.util.Set<EngagementType> OPT_OUTS = java.util.EnumSet.of(EngagementType.UNSUBSCRIBED,
			EngagementType.SMS_OPTED_OUT);

	/** The touch's column ({@code db/migration/V9}) that records it drew an engagement of this type. */
	private static final Map<EngagementType, String> DREW = Map.of(EngagementType.OPENED, "opened",
			EngagementType.CLICKED, "clicked", EngagementType.REPLIED, "replied", EngagementType.SMS_REPLIED, "replied",
			EngagementType.UNSUBSCRIBED, "unsubscribed", EngagementType.SMS_OPTED_OUT, "unsubscribed");

	private final JdbcClient jdbc;

	private final JourneyEvents journeys;

	private final LeadScoring scoring;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final LeadRepository leads;

	EngagementRecorder(JdbcClient jdbc, JourneyEvents journeys, LeadScoring scoring, TransactionTemplate transaction,
			Clock clock, LeadRepository leads) {
		this.jdbc = jdbc;
		this.leads = leads;
		this.journeys = journeys;
		this.scoring = scoring;
		this.transaction = transaction;
		this.clock = clock;
	}

	/**
	 * Returns false for a replay (its dedupe key was seen before). A replay of an event whose
	 * journeys were never told (the first delivery failed after the event was stored, and the
	 * client sent it again) tells them now.
	 */
	public boolean record(Engagement engagement) {
		long stored;
		try {
			stored = RunAgain.onLostLock(() -> this.transaction.execute((status) -> insert(engagement)), log,
					"Storing " + engagement.type() + " for lead " + engagement.leadId());
		}
		catch (DuplicateKeyException ex) {
			untold(engagement.dedupeKey()).ifPresentOrElse((earlier) -> {
				log.info("Engagement {} was stored before, its journeys never told; telling them now",
						engagement.dedupeKey());
				tell(earlier.id(), earlier.engagement());
			}, () -> log.debug("Engagement {} was recorded before; ignoring the replay", engagement.dedupeKey()));
			return false;
		}
		catch (DataIntegrityViolationException ex) {
			log.info("Engagement for unknown lead {} ignored", engagement.leadId());
			return false;
		}
		tell(stored, engagement);
		return true;
	}

	/**
	 * Rescores the lead and tells its journeys of the stored event {@code id}, unless they were
	 * told of it already (by another delivery of it, or by {@link EngagementRedelivery}).
	 */
	void tell(long id, Engagement engagement) {
		try {
			RunAgain.onLostLock(() -> this.scoring.rescore(engagement.leadId()),
					log, "Scoring lead " + engagement.leadId() + " after " + engagement.type());
		}
		catch (RuntimeException ex) {
			if (!RunAgain.lostALock(ex)) {
				throw ex;
			}
			// the event is stored and counts at the next scoring; the journey must still hear of it
			log.warn("Lead {} not rescored after {}: {}", engagement.leadId(), engagement.type(), ex.getMessage());
		}
		boolean unreachable = OPT_OUTS.contains(engagement.type()) && !reachable(engagement.leadId());
		// the journeys hear what was stored: a variable holds at most 4,000 characters, a reply may be longer
		this.journeys.engaged(engagement.leadId(), engagement.type(), abbreviate(engagement.detail()), unreachable,
				() -> claimTelling(id));
	}

	/** Tells of a re-conversion that intake stored and committed, as of any other engagement. */
	@Override
	public void reconverted(UUID leadId, long eventId, String origin, Instant at) {
		tell(eventId, new Engagement(leadId, null, EngagementType.RECONVERSION, null, origin, at, null));
	}

	/** Whether an event is stored under this dedupe key. */
	public boolean stored(String dedupeKey) {
		return typeStored(dedupeKey).isPresent();
	}

	/** The type of the event stored under this dedupe key, if there is one. */
	public Optional<String> typeStored(String dedupeKey) {
		return this.jdbc.sql("select type from engagement_event where dedupe_key = ?")
			.param(dedupeKey)
			.query(String.class)
			.optional();
	}

	/**
	 * The event stored under this dedupe key, if its journeys were never told. The journeys hear
	 * it as stored, not as the replay has it (a sender may have reused its id for another event).
	 * One of a type this node does not know is left to the nodes that do.
	 */
	private Optional<Stored> untold(String dedupeKey) {
		return this.jdbc.sql("""
				select id, lead_id, touch_id, type, channel, detail, occurred_at
				from engagement_event where dedupe_key = ? and journeys_told = false""")
			.param(dedupeKey)
			.query((row, n) -> {
				String type = row.getString("type");
				return new Stored(row.getLong("id"), type, new Engagement(row.getObject("lead_id", UUID.class),
						row.getObject("touch_id", Long.class), EngagementType.known(type).orElse(null),
						row.getString("channel"), row.getString("detail"), row.getTimestamp("occurred_at").toInstant(),
						dedupeKey));
			})
			.optional()
			.filter((stored) -> stored.engagement().type() != null);
	}

	/** An event as stored; its type is null when this node does not know it (see {@link #untold}). */
	private record Stored(long id, String type, Engagement engagement) {
	}

	/**
	 * Marks the event's journeys told, in the transaction that tells them; false if another
	 * delivery of it did so first (that one's mark is waited for, so the journeys hear of it once).
	 */
	private boolean claimTelling(long id) {
		return this.jdbc.sql("update engagement_event set journeys_told = true where id = ? and journeys_told = false")
			.param(id)
			.update() == 1;
	}

	private boolean reachable(UUID leadId) {
		return this.jdbc.sql("select count(*) from lead where id = ? and (consent_email or consent_sms)")
			.param(leadId)
			.query(Long.class)
			.single() > 0;
	}

	/** Stores the event, its journeys not yet told; answers its id. */
	private long insert(Engagement e) {
		KeyHolder id = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into engagement_event (lead_id, touch_id, type, channel, detail, occurred_at, received_at,
				                              dedupe_key, journeys_told)
				values (?, ?, ?, ?, ?, ?, ?, ?, false)""")
			.params(e.leadId(), e.touchId(), e.type().name(), e.channel(), abbreviate(e.detail()),
					Timestamp.from(e.occurredAt()), Timestamp.from(this.clock.instant()), e.dedupeKey())
			.update(id, "id");
		// the touch's row before the lead's, in the order a touch's own result takes them: a
		// click arriving while its touch's result is being stored waits instead of deadlocking
		String drew = DREW.get(e.type());
		if (drew != null && e.touchId() != null) {
			this.jdbc.sql("update touch set %s = true where id = ?".formatted(drew)).param(e.touchId()).update();
		}
		if (e.type().engages()) {
			this.leads.reachedMilestone(e.leadId(), LeadMilestone.ENGAGED, e.occurredAt());
		}
		if (e.type() == EngagementType.CONVERTED) {
			this.leads.reachedMilestone(e.leadId(), LeadMilestone.CONVERTED, e.occurredAt());
		}
		return id.getKeyAs(Long.class);
	}

	private static String abbreviate(String text) {
		return (text == null || text.length() <= 2000) ? text : text.substring(0, 1997) + "...";
	}

}
