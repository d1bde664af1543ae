package io.nurtureflow.touch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.nurtureflow.lead.LeadMilestone;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.touch.policy.PolicyDecision;
import io.nurtureflow.touch.policy.PolicyDecision.Verdict;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The touch ledger: every touch a journey made, once, under its idempotency key. */
@Repository
public class TouchLedger {

	private static final String SELECT = """
			select id, idempotency_key, lead_id, process_instance_id, activity_id, journey, channel, content, status,
			       reason, provider_id, attempts, deferred_until, last_error, created_at, updated_at
			from touch
			""";

	private final JdbcClient jdbc;

	private final LeadRepository leads;

	TouchLedger(JdbcClient jdbc, LeadRepository leads) {
		this.jdbc = jdbc;
		this.leads = leads;
	}

	public Optional<Touch> findByKey(String idempotencyKey) {
		return this.jdbc.sql(SELECT + " where idempotency_key = ?").param(idempotencyKey).query(this::row).optional();
	}

	public Optional<Touch> findById(long id) {
		return this.jdbc.sql(SELECT + " where id = ?").param(id).query(this::row).optional();
	}

	public Optional<Touch> findByProviderId(String providerId) {
		return this.jdbc.sql(SELECT + " where provider_id = ?").param(providerId).query(this::row).optional();
	}

	public List<Touch> findByLead(UUID leadId) {
		return this.jdbc.sql(SELECT + " where lead_id = ? order by created_at, id").param(leadId).query(this::row).list();
	}

	/**
	 * When the touches of a lead that {@link TouchStatus#countsAgainstTheCap() count against the
	 * cap} were made since a moment, oldest first.
	 */
	public List<Instant> madeSince(UUID leadId, Instant since) {
		return this.jdbc.sql("""
				select created_at from touch
				where lead_id = ? and status in %s and created_at > ?
				order by created_at""".formatted(TouchStatus.CAPPED_SQL))
			.params(leadId, Timestamp.from(since))
			.query((rs, n) -> rs.getTimestamp(1).toInstant())
			.list();
	}

	/** Inserts the touch under its key; fails with a duplicate key when it is already there. */
	long insert(TouchRequest request, TouchStatus status, String reason, Instant deferredUntil, Instant now) {
		var keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into touch (idempotency_key, lead_id, process_instance_id, activity_id, journey, channel,
				                   content, status, reason, deferred_until, attempts, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(request.idempotencyKey(), request.leadId(), request.processInstanceId(), request.activityId(),
					request.journey(), request.channel().name(), request.content(), status.name(), reason,
					(deferredUntil != null) ? Timestamp.from(deferredUntil) : null,
					(status == TouchStatus.SENDING) ? 1 : 0, Timestamp.from(now), Timestamp.from(now))
			.update(keys, "id");
		if (status.reachedTheLead()) {
			this.leads.reachedMilestone(request.leadId(), LeadMilestone.FIRST_REACHED, now);
		}
		return keys.getKey().longValue();
	}

	/**
	 * Holds a touch's row for a retry's decision, before the lead's row: the order an erasure and a
	 * touch's result take them in. Answers whether the touch is still PENDING.
	 */
	boolean holdPending(long id) {
		return this.jdbc.sql("select status from touch where id = ? for update")
			.param(id)
			.query(String.class)
			.optional()
			.filter(TouchStatus.PENDING.name()::equals)
			.isPresent();
	}

	/** Moves a claimed touch from PENDING to SENDING and counts the attempt; false if it was not PENDING. */
	boolean startAttempt(long id, Instant now) {
		return this.jdbc.sql("""
				update touch set status = 'SENDING', attempts = attempts + 1, updated_at = ?
				where id = ? and status = 'PENDING'""").params(Timestamp.from(now), id).update() == 1;
	}

	/**
	 * A PENDING touch the contact policy no longer lets go (asked again before a retry): skipped
	 * or deferred, with the reason. False if it was not PENDING.
	 */
	boolean settle(long id, PolicyDecision decision, Instant now) {
		TouchStatus status = (decision.verdict() == Verdict.SKIP) ? TouchStatus.SKIPPED : TouchStatus.DEFERRED;
		return this.jdbc.sql("""
				update touch set status = ?, reason = ?, deferred_until = ?, updated_at = ?
				where id = ? and status = 'PENDING'""")
			.params(status.name(), decision.reason(),
					(decision.until() != null) ? Timestamp.from(decision.until()) : null, Timestamp.from(now), id)
			.update() == 1;
	}

	/**
	 * The journey's touches still waiting for their next try, skipped with the reason: the journey
	 * ended (an exit, an erasure) and took their jobs with it. Answers how many there were.
	 */
	int abandonPending(UUID leadId, String processInstanceId, String reason, Instant now) {
		return this.jdbc.sql("""
				update touch set status = 'SKIPPED', reason = ?, updated_at = ?
				where lead_id = ? and process_instance_id = ? and status = 'PENDING'""")
			.params(reason, Timestamp.from(now), leadId, processInstanceId)
			.update();
	}

	void finish(long id, TouchStatus status, String providerId, String reason, Instant now) {
		this.jdbc.sql("""
				update touch set status = ?, provider_id = coalesce(?, provider_id), reason = coalesce(?, reason),
				                 updated_at = ?
				where id = ?""").params(status.name(), providerId, reason, Timestamp.from(now), id).update();
		if (status.reachedTheLead()) {
			reached(id);
		}
	}

	/** The lead's first touch that reached it ({@code lead.first_reached_at}) is this one if it is older. */
	private void reached(long touchId) {
		this.jdbc.sql("""
				update lead set first_reached_at = (select created_at from touch where id = :touch)
				where id = (select lead_id from touch where id = :touch)
				  and (first_reached_at is null or first_reached_at > (select created_at from touch where id = :touch))""")
			.param("touch", touchId)
			.update();
	}

	void attemptFailed(long id, String error, Instant now) {
		this.jdbc.sql("update touch set status = 'PENDING', last_error = ?, updated_at = ? where id = ?")
			.params(abbreviate(error), Timestamp.from(now), id)
			.update();
	}

	/**
	 * Delivery news from a provider; a later DELIVERED or FAILED replaces SENT. Returns whether
	 * it changed the touch: news it already has (a provider's retried callback, also one that
	 * arrives while the first is still being stored) changes nothing.
	 */
	public boolean reportDelivery(String providerId, TouchStatus status, String reason, Instant now) {
		boolean changed = this.jdbc.sql("""
				update touch set status = ?, reason = coalesce(?, reason), updated_at = ?
				where provider_id = ? and status in ('SENT', 'DELIVERED', 'FAILED') and status <> ?""")
			.params(status.name(), reason, Timestamp.from(now), providerId, status.name())
			.update() > 0;
		if (changed) {
			// a bounce takes back a touch that reached the lead, a late delivery gives it back
			this.jdbc.sql("""
					update lead set first_reached_at = (%1$s)
					where id in (select lead_id from touch where provider_id = ?) and first_reached_at is distinct from (%1$s)"""
				.formatted("select min(t.created_at) from touch t where t.lead_id = lead.id and t.status in " + TouchStatus.REACHED_SQL))
				.param(providerId)
				.update();
		}
		return changed;
	}

	void recordMessage(long touchId, ComposedMessage message) {
		this.jdbc.sql("insert into recorded_message (touch_id, recipient, subject, body, html) values (?, ?, ?, ?, ?)")
			.params(touchId, message.recipient(), message.subject(), message.text(), message.html())
			.update();
	}

	private static String abbreviate(String text) {
		if (text == null) {
			return null;
		}
		return (text.length() <= 1000) ? text : text.substring(0, 997) + "...";
	}

	private Touch row(ResultSet rs, int rowNum) throws SQLException {
		Timestamp deferred = rs.getTimestamp("deferred_until");
		return new Touch(rs.getLong("id"), rs.getString("idempotency_key"), rs.getObject("lead_id", UUID.class),
				rs.getString("process_instance_id"), rs.getString("activity_id"), rs.getString("journey"),
				Channel.valueOf(rs.getString("channel")), rs.getString("content"),
				TouchStatus.valueOf(rs.getString("status")), rs.getString("reason"), rs.getString("provider_id"),
				rs.getInt("attempts"), (deferred != null) ? deferred.toInstant() : null, rs.getString("last_error"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

}
