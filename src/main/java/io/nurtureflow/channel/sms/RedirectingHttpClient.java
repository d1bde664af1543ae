package io.nurtureflow.channel.sms;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * Sends every Twilio API call to another base URL (a WireMock server in tests) through the SDK's
 * own {@link NetworkHttpClient}. The SDK fixes the host inside each {@link Request} and offers
 * no setting for it, so each request is copied with its host part replaced. Region and edge are
 * left out of the copy on purpose: the SDK would weave them into the new host.
 */
class RedirectingHttpClient extends HttpClient {

	private static final Pattern TWILIO_HOST = Pattern.compile("^https://([a-z0-9-]+\\.)*twilio\\.com",
			Pattern.CASE_INSENSITIVE);

	private final String base;

	private final HttpClient delegate = new NetworkHttpClient();

	RedirectingHttpClient(URI base) {
		this.base = base.toString().replaceAll("/+$", "");
	}

	@Override
	public Response makeRequest(Request request) {
		return this.delegate.makeRequest(redirected(request));
	}

	Request redirected(Request original) {
		Request copy = new Request(original.getMethod(), rewrite(original.getUrl()));
		if (original.getAuthStrategy() != null) {
			copy.setAuth(original.getAuthStrategy());
		}
		else if (original.getUsername() != null) {
			copy.setAuth(original.getUsername(), original.getPassword());
		}
		copyEach(original.getQueryParams(), copy::addQueryParam);
		copyEach(original.getPostParams(), copy::addPostParam);
		copyEach(original.getHeaderParams(), copy::addHeaderParam);
		copy.setContentType(original.getContentType());
		copy.setBody(original.getBody());
		copy.setUserAgentExtensions(original.getUserAgentExtensions());
		return copy;
	}

	String rewrite(String url) {
		return TWILIO_HOST.matcher(url).replaceFirst(Matcher.quoteReplacement(this.base));
	}

	private static void copyEach(Map<String, List<String>> params, BiConsumer<String, String> add) {
		params.forEach((name, values) -> values.forEach((value) -> add.accept(name, value)));
	}

}
