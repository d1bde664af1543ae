package io.nurtureflow.security;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses changes sent to {@code /api} and {@code /engine-rest} by another site's page. Both take
 * HTTP basic, which a browser sends again by itself once someone has signed in there, and some of
 * their endpoints take bodies a plain HTML form can post (a deployment, an inbound email): a
 * hostile page could deploy a process or record engagement as that person. Integrations and
 * servers send neither {@code Sec-Fetch-Site} nor {@code Origin}; browsers send one or both, and
 * Nurtureflow's own pages never post there (Camunda's webapps use {@code /camunda/api} with their
 * own CSRF token). Reads pass: a browser keeps another site from reading the answer.
 */
class CrossSiteGuard extends OncePerRequestFilter {

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	/** What {@code Sec-Fetch-Site} says of a request this origin's page, or the user, made. */
	private static final Set<String> OWN = Set.of("same-origin", "none");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return SAFE_METHODS.contains(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (crossSite(request)) {
			Problems.write(response, HttpStatus.FORBIDDEN,
					"A change to this API cannot come from another site's page; call it from a server");
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean crossSite(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null) {
			return !OWN.contains(site);
		}
		String origin = request.getHeader("Origin");
		return origin != null && !sameOrigin(origin, request);
	}

	/** An origin of the scheme, host and port this request came to ("null", a sandboxed page's, is none). */
	private static boolean sameOrigin(String origin, HttpServletRequest request) {
		try {
			URI sent = URI.create(origin);
			return request.getScheme().equalsIgnoreCase(sent.getScheme())
					&& request.getServerName().equalsIgnoreCase(sent.getHost())
					&& request.getServerPort() == port(sent);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int port(URI origin) {
		if (origin.getPort() != -1) {
			return origin.getPort();
		}
		return "https".equalsIgnoreCase(origin.getScheme()) ? 443 : 80;
	}

}
