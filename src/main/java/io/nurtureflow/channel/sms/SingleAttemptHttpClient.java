package io.nurtureflow.channel.sms;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiException;
import com.twilio.exception.RestException;
import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.nurtureflow.touch.ProviderThrottled;
import org.apache.http.Header;

/**
 * The Twilio SDK's HTTP client with the SDK's own retries taken out: one API call, one request.
 * <p>
 * The SDK repeats a request answered with any 5xx up to three times, 100 ms apart, inside
 * {@code create()}. That is no backoff, and a 5xx after Twilio took a message would send the
 * SMS again. Here a failed answer goes straight to the sending step, whose retry cycle is the
 * backoff and whose ledger counts every attempt. (Below the SDK, Apache's HttpClient only
 * repeats a POST that never left, which cannot send anything twice.)
 * <p>
 * The SDK drops response headers when it turns an error into an exception, so a 429 or 503
 * with {@code Retry-After} is turned into {@link ProviderThrottled} here, where the header is
 * still in hand.
 */
class SingleAttemptHttpClient extends HttpClient {

	private static final int[] NO_STATUS_RETRIED = {};

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient network;

	private final Clock clock;

	SingleAttemptHttpClient(HttpClient network, Clock clock) {
		this.network = network;
		this.clock = clock;
	}

	@Override
	public Response reliableRequest(Request request) {
		Response response = reliableRequest(request, NO_STATUS_RETRIED, 1, 0);
		if (response == null || (response.getStatusCode() != 429 && response.getStatusCode() != 503)) {
			return response;
		}
		Optional<Duration> wait = retryAfter(response);
		if (wait.isPresent()) {
			ApiException refusal = refusal(response);
			throw new ProviderThrottled("Twilio asks to wait " + wait.get() + " before the next try: "
					+ refusal.getMessage(), wait.get(), refusal);
		}
		return response;
	}

	@Override
	public Response makeRequest(Request request) {
		return this.network.makeRequest(request);
	}

	private Optional<Duration> retryAfter(Response response) {
		Header[] headers = (response.getHeaders() != null) ? response.getHeaders() : new Header[0];
		return Arrays.stream(headers)
			.filter((header) -> header.getName().equalsIgnoreCase("Retry-After"))
			.findFirst()
			.flatMap((header) -> RetryAfter.parse(header.getValue(), this.clock.instant()));
	}

	/** Twilio's error document as the SDK would have thrown it. */
	private static ApiException refusal(Response response) {
		byte[] body = (response.getContent() != null) ? response.getContent().getBytes(StandardCharsets.UTF_8)
				: new byte[0];
		RestException error;
		try {
			error = RestException.fromJson(new ByteArrayInputStream(body), JSON);
		}
		catch (ApiException ex) {
			error = null;
		}
		return (error != null) ? new ApiException(error)
				: new ApiException("HTTP " + response.getStatusCode(), response.getStatusCode());
	}

}
