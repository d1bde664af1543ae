package io.nurtureflow.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import org.apache.catalina.core.StandardHost;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The limits at Nurtureflow's edge: body sizes, request rates of the public endpoints, and how
 * deep and long the JSON it reads may be. Camunda's {@code /engine-rest} and {@code /camunda}
 * keep Camunda's own handling.
 */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

	/** Deeper JSON than any request of ours needs is refused (400) long before a parser's stack runs out. */
	static final int MAX_JSON_NESTING = 50;

	static final int MAX_JSON_STRING = 1_000_000;

	/**
	 * Runs before authentication and everything that reads a body. The remote address it counts
	 * by is the client's: behind a proxy, Tomcat's remote-IP valve has set it from the proxy's
	 * {@code X-Forwarded-For} before any filter runs.
	 */
	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimit(LimitsProperties limits) {
		var filter = new RateLimitFilter(
				new ClientRateLimiter(limits.trackingPerMinute(), limits.rateClients(), System::nanoTime),
				new ClientRateLimiter(limits.webhooksPerMinute(), limits.rateClients(), System::nanoTime));
		var registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/t/*", "/webhooks/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		return registration;
	}

	@Bean
	FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(LimitsProperties limits) {
		var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(limits));
		// every path: a form body to Camunda's webapps or /engine-rest is held to the container's default
		registration.addUrlPatterns("/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 6);
		return registration;
	}

	@Bean
	FilterRegistrationBean<UnreadableQueryFilter> unreadableQuery() {
		var registration = new FilterRegistrationBean<>(new UnreadableQueryFilter());
		registration.addUrlPatterns("/api/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 7);
		return registration;
	}

	/**
	 * What Tomcat refuses on its own (before any filter runs) is answered as a problem too: the
	 * host adds this valve when it starts, behind the one Spring Boot configures, so it reports
	 * first.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		});
	}

	@Bean
	Jackson2ObjectMapperBuilderCustomizer jsonReadLimits() {
		return (builder) -> builder.postConfigurer((mapper) -> mapper.getFactory()
			.setStreamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(MAX_JSON_NESTING)
				.maxStringLength(MAX_JSON_STRING)
				.build()));
	}

}
