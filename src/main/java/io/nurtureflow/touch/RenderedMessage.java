package io.nurtureflow.touch;

/** A content piece rendered for one lead. */
public record RenderedMessage(String subject, String text) {
}
