package io.nurtureflow.tracking;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Signed tokens for tracking, unsubscribe and resubscribe links: what the link does, for which
 * touch (or, to resubscribe, which request) and lead, and (for clicks) the one URL it may lead
 * to, under an HMAC-SHA256 of all of it. A token changed in any byte, or made without the secret,
 * is refused.
 */
@Component
public class TrackingTokens {

	private static final Logger log = LoggerFactory.getLogger(TrackingTokens.class);

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	/** What a link does. */
	public enum Purpose {

		CLICK, OPEN, UNSUBSCRIBE,

		/** Confirms a lead's request to get email again; the number is the request's, not a touch's. */
		RESUBSCRIBE

	}

	/**
	 * What a verified token says. {@code url} is set for clicks only; {@code touchId} is the
	 * request's id for {@link Purpose#RESUBSCRIBE}.
	 */
	public record Claim(Purpose purpose, long touchId, UUID leadId, String url) {
	}

	private final SecretKeySpec key;

	TrackingTokens(TrackingProperties properties) {
		byte[] secret;
		if (properties.secret() == null || properties.secret().isBlank()) {
			secret = new byte[32];
			new SecureRandom().nextBytes(secret);
			log.warn("NURTURE_TRACKING_SECRET is not set: tracking and unsubscribe links are signed with a random key "
					+ "and stop working after a restart");
		}
		else {
			secret = properties.secret().getBytes(StandardCharsets.UTF_8);
		}
		this.key = new SecretKeySpec(secret, "HmacSHA256");
	}

	public String sign(Claim claim) {
		String payload = claim.purpose().name() + "|" + claim.touchId() + "|" + claim.leadId() + "|"
				+ ((claim.url() != null) ? claim.url() : "");
		byte[] body = payload.getBytes(StandardCharsets.UTF_8);
		return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(body));
	}

	public Optional<Claim> verify(String token) {
		if (token == null || token.length() > 8192) {
			return Optional.empty();
		}
		int dot = token.indexOf('.');
		if (dot <= 0) {
			return Optional.empty();
		}
		try {
			byte[] body = DECODER.decode(token.substring(0, dot));
			byte[] signature = DECODER.decode(token.substring(dot + 1));
			if (!MessageDigest.isEqual(mac(body), signature)) {
				return Optional.empty();
			}
			String[] parts = new String(body, StandardCharsets.UTF_8).split("\\|", 4);
			Purpose purpose = Purpose.valueOf(parts[0]);
			return Optional.of(new Claim(purpose, Long.parseLong(parts[1]), UUID.fromString(parts[2]),
					parts[3].isEmpty() ? null : parts[3]));
		}
		catch (IllegalArgumentException | ArrayIndexOutOfBoundsException ex) {
			return Optional.empty();
		}
	}

	private byte[] mac(byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
		}
	}

}
