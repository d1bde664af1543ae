package io.nurtureflow.security;

/** The groups Nurtureflow sets up, named for what their members do. */
final class NurtureGroups {

	static final String ADMINS = org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN;

	static final String DESIGNERS = "designers";

	static final String REPS = "reps";

	static final String CUSTOMER_SUCCESS = "customer-success";

	static final String MANAGERS = "managers";

	static final String INTEGRATIONS = "integrations";

	private NurtureGroups() {
	}

}
