package io.nurtureflow.tracking;

import java.net.URI;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Links in messages.
 *
 * @param publicUrl where leads and providers reach this server (https in production)
 * @param secret the HMAC key that signs every tracking and unsubscribe link, at least 32
 * characters; when empty a random key is made at start-up and links stop working after a restart
 */
@Validated
@ConfigurationProperties("nurture.tracking")
public record TrackingProperties(@NotNull @DefaultValue("http://localhost:8080") URI publicUrl, String secret) {

	/** As long as the HMAC-SHA256 output (RFC 2104): a shorter key is easier to guess from one link. */
	static final int SECRET_MIN_LENGTH = 32;

	public TrackingProperties {
		if (secret != null && !secret.isBlank() && secret.length() < SECRET_MIN_LENGTH) {
			throw new IllegalArgumentException("NURTURE_TRACKING_SECRET must be at least " + SECRET_MIN_LENGTH
					+ " characters (openssl rand -hex 32 makes one), not " + secret.length());
		}
	}

}
