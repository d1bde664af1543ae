package io.nurtureflow.lead;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

/**
 * Tells an imported row that repeats an upload from one that brings a known lead back. An
 * operator who uploads a list again sends every row again; the leads did not convert again, and
 * a re-conversion for each would lift their scores, fill the insights and wake the cadence's wait
 * for a returning lead. A form submitted again is the lead's own doing and is not asked.
 */
@Component
class RepeatedUploads {

	private final EngagementLog engagement;

	private final Resubmissions resubmissions;

	RepeatedUploads(EngagementLog engagement, Resubmissions resubmissions) {
		this.engagement = engagement;
		this.resubmissions = resubmissions;
	}

	/**
	 * Whether the row repeats what the known lead has: it was taken in as a re-conversion before
	 * (its first upload filled what it could, so another brings nothing), or it says nothing the
	 * lead does not hold already (as the row that created the lead does).
	 */
	boolean repeats(Lead known, NewLead row, String origin) {
		return this.engagement.stored(key(known.id(), row, origin)) || this.resubmissions.bringsNothingNew(known, row);
	}

	/**
	 * The dedupe key of the re-conversion a row records: the lead and a digest of the row as
	 * validated. Values hold no control characters, so the separators cannot be forged by one.
	 */
	static String key(UUID lead, NewLead row, String origin) {
		String text = Stream
			.of(row.email(), row.phone(), row.firstName(), row.lastName(), row.company(), row.title(), row.industry(),
					(row.companySize() != null) ? row.companySize().label() : null, row.country(),
					row.timeZone().getId(), row.source(), row.campaign(),
					row.interests().stream().sorted().collect(Collectors.joining("\t")),
					Boolean.toString(row.consentEmail()), Boolean.toString(row.consentSms()))
			.map((value) -> Objects.toString(value, ""))
			.collect(Collectors.joining("\n"));
		return origin + ":" + lead + ":" + HexFormat.of().formatHex(sha256(text));
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
