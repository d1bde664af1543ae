package io.nurtureflow.touch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The touch ledger: every touch a journey made, once, under its idempotency key. */
@Repository
public class TouchLedger {

	private static final String SELECT = """
			select id, idempotency_key, lead_id, process_instance_id, activity_id, journey, channel, content, status,
			       reason, provider_id, attempts, created_at, updated_at
			from touch
			""";

	private final JdbcClient jdbc;

	TouchLedger(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Touch> findByKey(String idempotencyKey) {
		return this.jdbc.sql(SELECT + " where idempotency_key = ?").param(idempotencyKey).query(this::row).optional();
	}

	public List<Touch> findByLead(UUID leadId) {
		return this.jdbc.sql(SELECT + " where lead_id = ? order by created_at, id").param(leadId).query(this::row).list();
	}

	long insert(TouchRequest request, TouchStatus status, Instant now) {
		var keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				insert into touch (idempotency_key, lead_id, process_instance_id, activity_id, journey, channel,
				                   content, status, attempts, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
				""")
			.params(request.idempotencyKey(), request.leadId(), request.processInstanceId(), request.activityId(),
					request.journey(), request.channel().name(), request.content(), status.name(),
					Timestamp.from(now), Timestamp.from(now))
			.update(keys, "id");
		return keys.getKey().longValue();
	}

	void recordMessage(long touchId, String recipient, RenderedMessage message) {
		this.jdbc.sql("insert into recorded_message (touch_id, recipient, subject, body) values (?, ?, ?, ?)")
			.params(touchId, recipient, message.subject(), message.text())
			.update();
	}

	private Touch row(ResultSet rs, int rowNum) throws SQLException {
		return new Touch(rs.getLong("id"), rs.getString("idempotency_key"), rs.getObject("lead_id", UUID.class),
				rs.getString("process_instance_id"), rs.getString("activity_id"), rs.getString("journey"),
				Channel.valueOf(rs.getString("channel")), rs.getString("content"),
				TouchStatus.valueOf(rs.getString("status")), rs.getString("reason"), rs.getString("provider_id"),
				rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

}
