package io.nurtureflow.lead;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes engagement events of a lead. Intake records re-conversions here; the engagement feature
 * records clicks, opens and replies into the same table.
 */
@Repository
class EngagementLog {

	private final JdbcClient jdbc;

	EngagementLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void record(UUID leadId, String type, String detail, Instant at) {
		this.jdbc.sql("""
				insert into engagement_event (lead_id, type, detail, occurred_at, received_at)
				values (?, ?, ?, ?, ?)
				""").params(leadId, type, detail, Timestamp.from(at), Timestamp.from(at)).update();
	}

}
