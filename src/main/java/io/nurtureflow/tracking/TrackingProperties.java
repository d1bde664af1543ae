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
 * @param secret the HMAC key that signs every tracking and unsubscribe link; when empty a random
 * key is made at start-up and links stop working after a restart
 */
@Validated
@ConfigurationProperties("nurture.tracking")
public record TrackingProperties(@NotNull @DefaultValue("http://localhost:8080") URI publicUrl, String secret) {
}
