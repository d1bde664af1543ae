package io.nurtureflow.engagement;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Tells the lead's journeys of engagement that was stored but never told to them. An event is
 * committed before its journeys hear of it; when the request dies in between (the node killed,
 * the database gone for a moment, the journey changed by others on every attempt) the event would
 * otherwise reach them only if the client sent it again, which a click, an opened pixel or a
 * Twilio reply never does. Every {@link EngagementProperties#redelivery() redelivery} each node
 * takes the untold events at least that old, oldest first, and tells them as their own request
 * would have (rescoring the lead, then the journeys, once: a delivery still under way is waited
 * for). An event tried {@value #ATTEMPTS} times without being told is given up and logged.
 * <p>
 * An event is tried at most once an interval, however many nodes look: a look claims its try in
 * the update that counts it, and only when no look, of this node or another, tried it within the
 * interval. Counting every look's try gave an event up after 10 looks, which with N nodes came
 * after about 1/N of the 10 intervals meant; and looks of several nodes meeting each counted a
 * try and rescored the lead, though only one told the journeys.
 */
@Component
@EnableScheduling
public class EngagementRedelivery implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(EngagementRedelivery.class);

	/** Tries of one event, at most one an interval across all nodes, before it is given up. */
	public static final int ATTEMPTS = 10;

	/** Events one look takes at most; the rest wait for the next. */
	static final int BATCH = 500;

	private final EngagementRecorder recorder;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final EngagementProperties properties;

	private final UntoldEngagementMetrics metrics;

	EngagementRedelivery(EngagementRecorder recorder, JdbcClient jdbc, Clock clock, EngagementProperties properties,
			UntoldEngagementMetrics metrics) {
		this.recorder = recorder;
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.metrics = metrics;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		Duration every = this.properties.redelivery();
		if (this.properties.redelivers()) {
			registrar.addFixedDelayTask(new FixedDelayTask(() -> {
				try {
					tellUntold(every);
				}
				catch (DataAccessException ex) {
					// the database is down: the events wait in it, the next look takes them
					log.warn("No look for untold engagement this time: {}", ex.getMessage());
				}
			}, every, every));
		}
	}

	/**
	 * One look: tells the journeys of the untold events received at least {@code interval} ago
	 * and not tried by any look within it (by the engine's clock), at most {@value #BATCH}, then
	 * counts those left for the metrics. Answers how many it told.
	 */
	public int tellUntold(Duration interval) {
		Instant before = this.clock.instant().minus(interval);
		List<Stored> untold = this.jdbc.sql("""
				select id, lead_id, touch_id, type, channel, detail, occurred_at, tell_attempts
				from engagement_event
				where journeys_told = false and received_at < ? and tell_attempts < ?
				  and (last_tried_at is null or last_tried_at <= ?)
				order by received_at, id
				fetch first %d rows only""".formatted(BATCH))
			.params(Timestamp.from(before), ATTEMPTS, Timestamp.from(before))
			.query((row, n) -> new Stored(row.getLong("id"), row.getObject("lead_id", UUID.class),
					row.getObject("touch_id", Long.class), row.getString("type"), row.getString("channel"),
					row.getString("detail"), row.getTimestamp("occurred_at").toInstant(), row.getInt("tell_attempts")))
			.list();
		int told = 0;
		for (Stored event : untold) {
			if (claimTry(event, interval) && tell(event)) {
				told++;
			}
		}
		if (!untold.isEmpty()) {
			log.info("Told the journeys of {} of {} engagement events stored but never told to them", told,
					untold.size());
		}
		long[] left = this.jdbc.sql("""
				select coalesce(sum(case when tell_attempts < ? then 1 else 0 end), 0),
				       coalesce(sum(case when tell_attempts >= ? then 1 else 0 end), 0)
				from engagement_event where journeys_told = false""")
			.params(ATTEMPTS, ATTEMPTS)
			.query((row, n) -> new long[] { row.getLong(1), row.getLong(2) })
			.single();
		this.metrics.counted(left[0], left[1]);
		return told;
	}

	/**
	 * Counts this look's try of the event, unless it was told meanwhile or another look tried it
	 * since it was read: of looks meeting on one event, one tries it, and its count is exact. The
	 * try is stamped with the clock as it is claimed, not as the look began: a look telling a
	 * backlog after a crash can outlast the interval, and another node's look would find the
	 * events it tried last a whole interval old and try them again.
	 */
	private boolean claimTry(Stored event, Duration interval) {
		Instant now = this.clock.instant();
		Instant before = now.minus(interval);
		return this.jdbc.sql("""
				update engagement_event set tell_attempts = tell_attempts + 1, last_tried_at = ?
				where id = ? and journeys_told = false and tell_attempts = ?
				  and (last_tried_at is null or last_tried_at <= ?)""")
			.params(Timestamp.from(now), event.id(), event.attempts(), Timestamp.from(before))
			.update() == 1;
	}

	private boolean tell(Stored event) {
		boolean last = event.attempts() + 1 >= ATTEMPTS;
		try {
			this.recorder.tell(event.id(), event.engagement());
		}
		catch (RuntimeException ex) {
			if (last) {
				log.error("Gave up telling the journeys of lead {} of engagement event {} ({}) after {} tries; it "
						+ "stays stored and counts in the lead's score", event.leadId(), event.id(), event.type(),
						ATTEMPTS, ex);
			}
			else {
				log.warn("Could not tell the journeys of lead {} of engagement event {} ({}); the next look tries "
						+ "again: {}", event.leadId(), event.id(), event.type(), ex.toString());
			}
			return false;
		}
		// told, unless every attempt met another change of the journey (logged by the correlator)
		boolean told = this.jdbc.sql("select journeys_told from engagement_event where id = ?")
			.param(event.id())
			.query(Boolean.class)
			.single();
		if (!told && last) {
			log.error("Gave up telling the journeys of lead {} of engagement event {} ({}) after {} tries, each "
					+ "beaten by other changes of the journey; it stays stored", event.leadId(), event.id(),
					event.type(), ATTEMPTS);
		}
		return told;
	}

	/** An untold event as stored; its type is read when it is told (a newer node may store one this one does not know). */
	private record Stored(long id, UUID leadId, Long touchId, String type, String channel, String detail,
			Instant occurredAt, int attempts) {

		Engagement engagement() {
			return new Engagement(this.leadId, this.touchId, EngagementType.valueOf(this.type), this.channel,
					this.detail, this.occurredAt, null);
		}

	}

}
