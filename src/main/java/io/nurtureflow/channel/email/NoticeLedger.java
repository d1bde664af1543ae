package io.nurtureflow.channel.email;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Notices to managers under their keys: claimed ({@code SENDING}) before sending, then {@code SENT}. */
@Repository
class NoticeLedger {

	private final JdbcClient jdbc;

	NoticeLedger(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Claims the key; false when it was claimed before, by this or another node. */
	boolean claim(String key, Instant now) {
		try {
			this.jdbc.sql("insert into manager_notice (notice_key, status, created_at, updated_at) values (?, 'SENDING', ?, ?)")
				.params(key, Timestamp.from(now), Timestamp.from(now))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	Optional<String> status(String key) {
		return this.jdbc.sql("select status from manager_notice where notice_key = ?")
			.param(key)
			.query(String.class)
			.optional();
	}

	void sent(String key, Instant now) {
		this.jdbc.sql("update manager_notice set status = 'SENT', updated_at = ? where notice_key = ?")
			.params(Timestamp.from(now), key)
			.update();
	}

	/** Gives a claim back after a send that certainly failed, so the retry may send. */
	void release(String key) {
		this.jdbc.sql("delete from manager_notice where notice_key = ? and status = 'SENDING'").param(key).update();
	}

}
