package io.nurtureflow.lead;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Answers to requests that carried an {@code Idempotency-Key}, keyed by it. */
@Repository
class IdempotentRequests {

	private final JdbcClient jdbc;

	IdempotentRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Stored> find(String key) {
		return this.jdbc.sql("select request_hash, status, location, body from idempotency_request where idempotency_key = ?")
			.param(key)
			.query((rs, n) -> new Stored(rs.getString("request_hash"),
					new StoredAnswer(rs.getInt("status"), rs.getString("location"), rs.getString("body"))))
			.optional();
	}

	/** Fails with a duplicate key when a concurrent request with the same key committed first. */
	void save(String key, String requestHash, UUID leadId, StoredAnswer answer, Instant now) {
		this.jdbc.sql("""
				insert into idempotency_request (idempotency_key, request_hash, lead_id, status, location, body, created_at)
				values (?, ?, ?, ?, ?, ?, ?)
				""")
			.params(key, requestHash, leadId, answer.status(), answer.location(), answer.body(), Timestamp.from(now))
			.update();
	}

	/** Removes the answers that show the lead (its email, name, phone), when it is erased. */
	void forgetAnswersAbout(UUID leadId) {
		this.jdbc.sql("delete from idempotency_request where lead_id = ?").param(leadId).update();
	}

	/** Removes the answers stored before {@code before}; answers how many. */
	int forgetAnswersBefore(Instant before) {
		return this.jdbc.sql("delete from idempotency_request where created_at < ?")
			.param(Timestamp.from(before))
			.update();
	}

	record Stored(String requestHash, StoredAnswer answer) {
	}

}
