package io.nurtureflow.security;

import java.util.Set;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Who gets in where: the API and Actuator, the engine's REST API, and the setup page. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** Probes for load balancers and orchestrators; they answer UP or DOWN and nothing more. */
	private static final Set<String> PUBLIC_ACTUATOR = Set.of("/actuator/health");

	@Bean
	FilterRegistrationBean<ApiAuthenticationFilter> apiAuthentication(SecurityProperties properties,
			IdentityService identity) {
		var filter = new ApiAuthenticationFilter(new ApiKeys(properties.apiKeys()), identity,
				Set.of(NurtureGroups.INTEGRATIONS, NurtureGroups.ADMINS), PUBLIC_ACTUATOR);
		var registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/api/*", "/actuator/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/** The starter leaves {@code /engine-rest} open; this puts the engine's own basic auth on it. */
	@Bean
	FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
		var registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
		registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
				HttpBasicAuthenticationProvider.class.getName());
		registration.addUrlPatterns("/engine-rest/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	FilterRegistrationBean<InsightsAccessFilter> insightsAccess(ProcessEngine engine) {
		var registration = new FilterRegistrationBean<>(new InsightsAccessFilter(engine.getName()));
		registration.addUrlPatterns("/insights", "/insights/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/** Before the credentials are looked at: a browser sends cached basic auth to any site's form. */
	@Bean
	FilterRegistrationBean<CrossSiteGuard> crossSiteGuard() {
		var registration = new FilterRegistrationBean<>(new CrossSiteGuard());
		registration.addUrlPatterns("/api/*", "/engine-rest/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 7);
		return registration;
	}

	@Bean
	FilterRegistrationBean<SetupPageGuard> setupPageGuard() {
		var registration = new FilterRegistrationBean<>(new SetupPageGuard());
		registration.addUrlPatterns("/camunda/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
