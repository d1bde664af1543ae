package io.nurtureflow.lead;

/** The answer given to an idempotent request, kept so a retry gets it again. */
public record StoredAnswer(int status, String location, String body) {
}
