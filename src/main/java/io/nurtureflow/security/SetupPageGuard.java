package io.nurtureflow.security;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Closes the Admin webapp's first-user setup for good. Camunda opens it to anyone while no
 * administrator exists; Nurtureflow always creates one at start-up, and refuses the page anyway
 * so that deleting the admin never reopens it.
 */
class SetupPageGuard extends OncePerRequestFilter {

	private static final Pattern SETUP = Pattern.compile("/camunda/(api/admin/setup|app/admin/[^/]+/setup)(/.*)?");

	/** Refused whether the raw or the decoded and normalised path names the page ({@code %73etup}, {@code x/../setup}). */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String raw = request.getRequestURI().substring(request.getContextPath().length());
		String normalised = ApiAuthenticationFilter.normalisedPath(request);
		return !SETUP.matcher(raw.replaceAll("/{2,}", "/")).matches()
				&& !SETUP.matcher(normalised.replaceAll("/{2,}", "/")).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Problems.write(response, HttpStatus.FORBIDDEN,
				"First-user setup is disabled; the administrator comes from NURTURE_ADMIN_USER");
	}

}
