package io.nurtureflow.touch.policy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.nurtureflow.lead.DoNotContactList;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The global do-not-contact list: email addresses and phone numbers never to be touched. */
@Repository
public class SuppressionList implements DoNotContactList {

	private final JdbcClient jdbc;

	SuppressionList(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public record Entry(String address, String kind, String reason, Instant createdAt) {
	}

	/** Adds an address; an address already listed keeps its first entry. */
	public Entry add(String address, String kind, String reason, Instant now) {
		String normalised = normalise(address);
		try {
			this.jdbc.sql("insert into suppression (address, kind, reason, created_at) values (?, ?, ?, ?)")
				.params(normalised, kind, reason, Timestamp.from(now))
				.update();
		}
		catch (DuplicateKeyException ex) {
			// listed already
		}
		return find(normalised).orElseThrow();
	}

	public boolean remove(String address) {
		return this.jdbc.sql("delete from suppression where address = ?").param(normalise(address)).update() > 0;
	}

	public Optional<Entry> find(String address) {
		return this.jdbc.sql("select address, kind, reason, created_at from suppression where address = ?")
			.param(normalise(address))
			.query((rs, n) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4).toInstant()))
			.optional();
	}

	public List<Entry> list() {
		return this.jdbc.sql("select address, kind, reason, created_at from suppression order by created_at, address")
			.query((rs, n) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4).toInstant()))
			.list();
	}

	@Override
	public boolean containsAny(String... addresses) {
		List<String> given = Arrays.stream(addresses).filter(Objects::nonNull).map(SuppressionList::normalise).toList();
		if (given.isEmpty()) {
			return false;
		}
		return this.jdbc.sql("select count(*) from suppression where address in ("
				+ String.join(", ", Collections.nCopies(given.size(), "?")) + ")")
			.params(given)
			.query(Long.class)
			.single() > 0;
	}

	/** The longest address the list holds, as stored (lower case). */
	static final int ADDRESS_LENGTH = 254;

	static String normalise(String address) {
		return address.trim().toLowerCase(Locale.ROOT);
	}

}
