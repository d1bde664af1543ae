package io.nurtureflow.journey;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.webapp.impl.engine.EngineRestApplication;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gives the engine API that Tasklist, Cockpit and Admin call ({@code /camunda/api/engine}, not
 * {@code /engine-rest}) the client errors that {@code /engine-rest} answers. It is a JAX-RS
 * application of its own, which the webapp starter serves with a Jersey servlet named
 * {@value #SERVLET}, unless a servlet of that name exists already: this one registers that
 * servlet first, with the same application and {@link EngineRestClientErrors}' mappers added.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebappEngineApi implements ServletContextInitializer {

	/** The webapp starter's name for the servlet of its engine API. */
	static final String SERVLET = "Engine Api";

	private final EngineRestClientErrors clientErrors;

	private final String mapping;

	WebappEngineApi(EngineRestClientErrors clientErrors, CamundaBpmProperties camunda) {
		this.clientErrors = clientErrors;
		this.mapping = camunda.getWebapp().getApplicationPath() + "/api/engine/*";
	}

	@Override
	public void onStartup(ServletContext context) {
		ResourceConfig api = ResourceConfig.forApplicationClass(EngineRestApplication.class);
		this.clientErrors.customize(api);
		ServletRegistration.Dynamic servlet = context.addServlet(SERVLET, new ServletContainer(api));
		if (servlet == null) {
			throw new IllegalStateException("A servlet named '" + SERVLET + "' is registered already: the webapps' "
					+ "engine API would answer client errors 500");
		}
		servlet.addMapping(this.mapping);
	}

}
