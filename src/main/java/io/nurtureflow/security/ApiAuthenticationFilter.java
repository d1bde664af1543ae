package io.nurtureflow.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.camunda.bpm.engine.IdentityService;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards Nurtureflow's API and Actuator: an {@code X-Api-Key} from configuration, or HTTP basic
 * of an engine user in a group allowed there. The engine's identity service checks passwords,
 * so its lock-out after failed attempts applies here too.
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

	static final String API_KEY_HEADER = "X-Api-Key";

	private final ApiKeys apiKeys;

	private final IdentityService identity;

	private final Set<String> allowedGroups;

	private final Set<String> publicPaths;

	ApiAuthenticationFilter(ApiKeys apiKeys, IdentityService identity, Set<String> allowedGroups,
			Set<String> publicPaths) {
		this.apiKeys = apiKeys;
		this.identity = identity;
		this.allowedGroups = allowedGroups;
		this.publicPaths = publicPaths;
	}

	/**
	 * Public paths are matched on the path as the container decoded and normalised it, so that
	 * dot segments, encoded characters or path parameters cannot make a protected path look
	 * public: {@code /actuator/health/../prometheus} is {@code /actuator/prometheus} here, as it is
	 * to any servlet that serves by the normalised path.
	 */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = normalisedPath(request);
		return this.publicPaths.stream().anyMatch((prefix) -> path.equals(prefix) || path.startsWith(prefix + "/"));
	}

	static String normalisedPath(HttpServletRequest request) {
		String servletPath = (request.getServletPath() != null) ? request.getServletPath() : "";
		String pathInfo = (request.getPathInfo() != null) ? request.getPathInfo() : "";
		return servletPath + pathInfo;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String apiKey = request.getHeader(API_KEY_HEADER);
		if (apiKey != null) {
			if (this.apiKeys.accepts(apiKey)) {
				chain.doFilter(request, response);
			}
			else {
				Problems.write(response, HttpStatus.UNAUTHORIZED, "The API key is not valid");
			}
			return;
		}
		Credentials credentials = Credentials.basic(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (credentials == null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"nurtureflow\"");
			Problems.write(response, HttpStatus.UNAUTHORIZED,
					"Send an API key in " + API_KEY_HEADER + " or HTTP basic credentials");
			return;
		}
		if (!this.identity.checkPassword(credentials.user(), credentials.password())) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"nurtureflow\"");
			Problems.write(response, HttpStatus.UNAUTHORIZED, "Wrong user or password");
			return;
		}
		boolean allowed = this.identity.createGroupQuery()
			.groupMember(credentials.user())
			.list()
			.stream()
			.anyMatch((group) -> this.allowedGroups.contains(group.getId()));
		if (!allowed) {
			Problems.write(response, HttpStatus.FORBIDDEN,
					"User " + credentials.user() + " is in none of the groups " + this.allowedGroups);
			return;
		}
		chain.doFilter(request, response);
	}

	record Credentials(String user, String password) {

		static Credentials basic(String header) {
			if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
				return null;
			}
			String decoded;
			try {
				decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
			int colon = decoded.indexOf(':');
			if (colon <= 0) {
				return null;
			}
			return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
		}

	}

}
