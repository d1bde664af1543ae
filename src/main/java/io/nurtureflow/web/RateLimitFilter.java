package io.nurtureflow.web;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits how often one client address may call the public endpoints: tracking links
 * ({@code /t/**}) and provider webhooks ({@code /webhooks/**}), which take requests without a
 * login. Over the limit the answer is 429 with {@code Retry-After}. The address is the request's
 * remote address; behind a proxy in a private or loopback range, Tomcat's remote-IP valve makes
 * that the client's from {@code X-Forwarded-For}.
 */
class RateLimitFilter extends OncePerRequestFilter {

	private final ClientRateLimiter tracking;

	private final ClientRateLimiter webhooks;

	RateLimitFilter(ClientRateLimiter tracking, ClientRateLimiter webhooks) {
		this.tracking = tracking;
		this.webhooks = webhooks;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = BodySizeLimitFilter.path(request);
		ClientRateLimiter limiter = path.startsWith("/webhooks/") ? this.webhooks : this.tracking;
		long wait = limiter.acquire(request.getRemoteAddr());
		if (wait > 0) {
			long seconds = Math.max(1, (wait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			FilterProblems.write(response, HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
					"Too many requests from this address; retry in " + seconds + " s", Map.of());
			return;
		}
		chain.doFilter(request, response);
	}

}
