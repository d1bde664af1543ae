package io.nurtureflow.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The configured API keys, held only as SHA-256 digests. A presented key is digested and compared
 * with every configured digest in constant time, so neither the keys nor timing give anything
 * away.
 */
final class ApiKeys {

	private static final String DIGEST_PREFIX = "sha256:";

	private final List<byte[]> digests;

	ApiKeys(List<String> configured) {
		this.digests = configured.stream().map(String::trim).filter((key) -> !key.isEmpty()).map(ApiKeys::digestOf).toList();
	}

	boolean isEmpty() {
		return this.digests.isEmpty();
	}

	boolean accepts(String presented) {
		byte[] digest = sha256(presented);
		boolean match = false;
		for (byte[] known : this.digests) {
			match |= MessageDigest.isEqual(known, digest);
		}
		return match;
	}

	private static byte[] digestOf(String configured) {
		if (configured.startsWith(DIGEST_PREFIX)) {
			try {
				byte[] digest = HexFormat.of().parseHex(configured.substring(DIGEST_PREFIX.length()));
				if (digest.length == 32) {
					return digest;
				}
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
			throw new IllegalArgumentException("NURTURE_API_KEYS: a sha256: entry needs 64 hex digits");
		}
		return sha256(configured);
	}

	static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
