package io.nurtureflow.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * What the store says about a lead; touches made "elsewhere" to set up a busy week, and
 * engagement left as a request that died halfway leaves it.
 */
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

	/**
	 * An engagement event as a request leaves it that died after storing it and before telling
	 * the lead's journeys, received at {@code received}. Answers its id.
	 */
	public long storedButNeverTold(UUID lead, Long touch, String type, Instant received) {
		KeyHolder id = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into engagement_event (lead_id, touch_id, type, channel, occurred_at, received_at, journeys_told)
				values (?, ?, ?, 'EMAIL', ?, ?, false)""")
			.params(lead, touch, type, Timestamp.from(received), Timestamp.from(received))
			.update(id, "id");
		return id.getKeyAs(Long.class);
	}

	/** Whether the journeys were told of the engagement event. */
	public boolean told(long event) {
		return this.jdbc.sql("select journeys_told from engagement_event where id = ?")
			.param(event)
			.query(Boolean.class)
			.single();
	}

}
