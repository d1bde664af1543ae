package io.nurtureflow.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The insight pages and their data are for managers and administrators, logged in through
 * Camunda's webapps: the same session serves Cockpit, Tasklist and {@code /insights}. Pages
 * without a login go to the Cockpit login; data requests get 401, other groups 403.
 */
class InsightsAccessFilter extends OncePerRequestFilter {

	static final String LOGIN = "/camunda/app/cockpit/default/";

	private static final Set<String> ALLOWED = Set.of(NurtureGroups.MANAGERS, NurtureGroups.ADMINS);

	private final String engine;

	InsightsAccessFilter(String engine) {
		this.engine = engine;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		UserAuthentication user = user(request.getSession(false));
		boolean data = ApiAuthenticationFilter.normalisedPath(request).startsWith("/insights/api/");
		if (user == null) {
			if (data) {
				Problems.write(response, HttpStatus.UNAUTHORIZED, "Log in to Cockpit as a manager first");
			}
			else {
				response.sendRedirect(request.getContextPath() + LOGIN);
			}
			return;
		}
		if (user.getGroupIds() == null || user.getGroupIds().stream().noneMatch(ALLOWED::contains)) {
			Problems.write(response, HttpStatus.FORBIDDEN,
					"Insights are for managers and administrators; " + user.getIdentityId() + " is neither");
			return;
		}
		chain.doFilter(request, response);
	}

	private UserAuthentication user(HttpSession session) {
		if (session == null) {
			return null;
		}
		Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
		if (authentications == null) {
			return null;
		}
		Authentication authentication = authentications.getAuthenticationForProcessEngine(this.engine);
		return (authentication instanceof UserAuthentication user) ? user : null;
	}

}
