package io.nurtureflow.lead;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Writes engagement events of a lead. Intake records re-conversions here; the engagement feature
 * records clicks, opens and replies into the same table, and tells the journeys of them all.
 */
@Repository
class EngagementLog {

	private final JdbcClient jdbc;

	EngagementLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores the event with its journeys not yet told, so that one whose telling never happens
	 * is told by the engagement feature's redelivery; answers its id.
	 */
	long record(UUID leadId, String type, String detail, Instant at) {
		return record(leadId, type, detail, at, null);
	}

	/** As {@link #record(UUID, String, String, Instant)}, under a dedupe key no other event may have. */
	long record(UUID leadId, String type, String detail, Instant at, String dedupeKey) {
		KeyHolder id = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into engagement_event (lead_id, type, detail, occurred_at, received_at, dedupe_key,
				                              journeys_told)
				values (?, ?, ?, ?, ?, ?, false)
				""").params(leadId, type, detail, Timestamp.from(at), Timestamp.from(at), dedupeKey).update(id, "id");
		return id.getKeyAs(Long.class);
	}

	boolean stored(String dedupeKey) {
		return this.jdbc.sql("select count(*) from engagement_event where dedupe_key = ?")
			.param(dedupeKey)
			.query(Long.class)
			.single() > 0;
	}

}
