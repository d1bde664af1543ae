package io.nurtureflow.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** What the store says about a lead, and touches made "elsewhere" to set up a busy week. */
public final class LeadRecords {

	/** The content name of touches made by {@link #touchedElsewhere}, so tests can leave them out. */
	public static final String ELSEWHERE = "elsewhere";

	private final JdbcClient jdbc;

	public LeadRecords(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Touches some other journey made at {@code at}: they count for the frequency cap. */
	public void touchedElsewhere(UUID lead, Instant at, int count) {
		for (int i = 0; i < count; i++) {
			this.jdbc.sql("""
					insert into touch (idempotency_key, lead_id, process_instance_id, activity_id, journey, channel,
					                   content, status, attempts, created_at, updated_at)
					values (?, ?, 'elsewhere', 'Task_Elsewhere', 'other', 'EMAIL', ?, 'SENT', 1, ?, ?)""")
				.params(UUID.randomUUID().toString(), lead, ELSEWHERE, Timestamp.from(at), Timestamp.from(at))
				.update();
		}
	}

	public String stage(UUID lead) {
		return this.jdbc.sql("select stage from lead where id = ?").param(lead).query(String.class).single();
	}

	/** Email and SMS consent, in that order. */
	public List<Boolean> consent(UUID lead) {
		return this.jdbc.sql("select consent_email, consent_sms from lead where id = ?")
			.param(lead)
			.query((rs, n) -> List.of(rs.getBoolean(1), rs.getBoolean(2)))
			.single();
	}

	public long lastTouch(UUID lead) {
		return this.jdbc.sql("select max(id) from touch where lead_id = ?").param(lead).query(Long.class).single();
	}

}
