package io.nurtureflow.security;

import java.util.List;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may do what.
 *
 * @param adminUser the administrator's user id, created on first start
 * @param adminPassword the administrator's password on first start; when empty, a random one is
 * generated and logged once
 * @param apiKeys keys accepted in the {@code X-Api-Key} header, each plain or as
 * {@code sha256:<hex digest>}
 */
@Validated
@ConfigurationProperties("nurture.security")
record SecurityProperties(@NotBlank @DefaultValue("admin") String adminUser, String adminPassword,
		@DefaultValue List<String> apiKeys) {
}
