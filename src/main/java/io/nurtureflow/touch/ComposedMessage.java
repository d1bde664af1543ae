package io.nurtureflow.touch;

import java.util.Map;

/**
 * A message ready to go: recipient, subject (email), text, HTML (email) and extra headers.
 */
public record ComposedMessage(String recipient, String subject, String text, String html, Map<String, String> headers) {

	public ComposedMessage {
		headers = Map.copyOf(headers);
	}

}
