package io.nurtureflow.journey;

import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.ws.rs.core.Application;
import org.camunda.bpm.admin.impl.web.AdminApplication;
import org.camunda.bpm.cockpit.impl.web.CockpitApplication;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.tasklist.impl.web.TasklistApplication;
import org.camunda.bpm.webapp.impl.engine.EngineRestApplication;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gives the APIs that Tasklist, Cockpit and Admin call ({@code /camunda/api/engine},
 * {@code /camunda/api/cockpit}, {@code /camunda/api/admin}, {@code /camunda/api/tasklist}; not
 * {@code /engine-rest}) the client errors that {@code /engine-rest} answers. Each is a JAX-RS
 * application of its own, which the webapp starter serves with a Jersey servlet of a known name,
 * unless a servlet of that name exists already: this one registers those servlets first, with the
 * same applications and {@link EngineRestClientErrors}' mappers added.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebappApis implements ServletContextInitializer {

	/** The webapp starter's name for each servlet, with its application and where it is mapped. */
	private static final Map<String, Api> APIS = Map.of("Engine Api", new Api(EngineRestApplication.class, "engine"),
			"Cockpit Api", new Api(CockpitApplication.class, "cockpit"), "Admin Api",
			new Api(AdminApplication.class, "admin"), "Tasklist Api", new Api(TasklistApplication.class, "tasklist"));

	private final EngineRestClientErrors clientErrors;

	private final String applicationPath;

	WebappApis(EngineRestClientErrors clientErrors, CamundaBpmProperties camunda) {
		this.clientErrors = clientErrors;
		this.applicationPath = camunda.getWebapp().getApplicationPath();
	}

	@Override
	public void onStartup(ServletContext context) {
		APIS.forEach((name, api) -> {
			ResourceConfig config = ResourceConfig.forApplicationClass(api.application());
			this.clientErrors.customize(config);
			ServletRegistration.Dynamic servlet = context.addServlet(name, new ServletContainer(config));
			if (servlet == null) {
				throw new IllegalStateException("A servlet named '" + name + "' is registered already: the webapps' "
						+ api.path() + " API would answer client errors 500");
			}
			servlet.addMapping(this.applicationPath + "/api/" + api.path() + "/*");
		});
	}

	private record Api(Class<? extends Application> application, String path) {
	}

}
