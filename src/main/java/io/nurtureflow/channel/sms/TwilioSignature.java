package io.nurtureflow.channel.sms;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.twilio.security.RequestValidator;
import io.nurtureflow.tracking.TrackingLinks;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/**
 * Proves a webhook came from Twilio: {@code X-Twilio-Signature} must match the URL Twilio called
 * and the form parameters, under our auth token. Behind a proxy the server sees another URL
 * than Twilio called, so the URL is rebuilt from the public URL
 * ({@code NURTURE_PUBLIC_URL}) and the request's path and query string.
 */
@Component
class TwilioSignature {

	static final String HEADER = "X-Twilio-Signature";

	private final TrackingLinks links;

	private final RequestValidator validator;

	TwilioSignature(TrackingLinks links, TwilioProperties properties) {
		this.links = links;
		this.validator = properties.configured() ? new RequestValidator(properties.authToken()) : null;
	}

	/** The form parameters of a request Twilio signed; empty when the signature is missing or wrong. */
	Optional<Map<String, String>> verified(HttpServletRequest request) {
		String signature = request.getHeader(HEADER);
		if (this.validator == null || signature == null || signature.isBlank()) {
			return Optional.empty();
		}
		Map<String, String> params;
		try {
			params = formParameters(request);
		}
		catch (IllegalArgumentException ex) {
			// a query string with a broken escape (%zz): no URL Twilio calls, so nothing it signed
			return Optional.empty();
		}
		return this.validator.validate(calledUrl(request), params, signature) ? Optional.of(params) : Optional.empty();
	}

	private String calledUrl(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String query = request.getQueryString();
		return this.links.publicUrl(path) + ((query != null) ? "?" + query : "");
	}

	/**
	 * Only the body's parameters are signed (the query string is part of the URL), but the servlet
	 * API mixes both, query values first; so each name's query values are dropped.
	 */
	private static Map<String, String> formParameters(HttpServletRequest request) {
		Map<String, Integer> inQuery = new HashMap<>();
		if (request.getQueryString() != null) {
			for (String pair : request.getQueryString().split("&")) {
				String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
				inQuery.merge(name, 1, Integer::sum);
			}
		}
		Map<String, String> form = new HashMap<>();
		request.getParameterMap().forEach((name, values) -> {
			int skip = inQuery.getOrDefault(name, 0);
			if (values.length > skip) {
				form.put(name, values[skip]);
			}
		});
		return form;
	}

}
