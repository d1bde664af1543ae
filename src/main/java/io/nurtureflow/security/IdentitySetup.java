package io.nurtureflow.security;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.task.TaskQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

/**
 * Seeds users, groups, authorizations and Tasklist filters while the engine is built, before
 * the web server takes a request: the administrator always exists, so the Admin webapp's
 * first-user setup is never open. Idempotent, and safe when several nodes start at once.
 */
@Component
class IdentitySetup extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(IdentitySetup.class);

	static final String FILTER_GROUP_TASKS = "Tasks of my groups";

	static final String FILTER_MY_TASKS = "My tasks";

	private final SecurityProperties properties;

	IdentitySetup(SecurityProperties properties) {
		this.properties = properties;
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		IdentityService identity = engine.getIdentityService();
		AuthorizationService authorizations = engine.getAuthorizationService();
		group(identity, Groups.CAMUNDA_ADMIN, "Administrators", Groups.GROUP_TYPE_SYSTEM);
		group(identity, NurtureGroups.DESIGNERS, "Process designers", Groups.GROUP_TYPE_WORKFLOW);
		group(identity, NurtureGroups.REPS, "Sales reps", Groups.GROUP_TYPE_WORKFLOW);
		group(identity, NurtureGroups.CUSTOMER_SUCCESS, "Customer success",
				Groups.GROUP_TYPE_WORKFLOW);
		group(identity, NurtureGroups.MANAGERS, "Sales and marketing managers",
				Groups.GROUP_TYPE_WORKFLOW);
		group(identity, NurtureGroups.INTEGRATIONS, "Integrations (intake API)",
				Groups.GROUP_TYPE_WORKFLOW);
		admin(identity);

		var grants = new Grants(authorizations);
		for (Resource resource : Resources.values()) {
			grants.toGroup(Groups.CAMUNDA_ADMIN, resource, ANY, Permissions.ALL);
		}
		workersOfTasks(grants, NurtureGroups.REPS);
		workersOfTasks(grants, NurtureGroups.CUSTOMER_SUCCESS);
		managers(grants, NurtureGroups.MANAGERS);
		designers(grants, NurtureGroups.DESIGNERS);

		Filter groupTasks = filter(engine, FILTER_GROUP_TASKS, -10,
				engine.getTaskService()
					.createTaskQuery()
					.taskCandidateGroupInExpression("${currentUserGroups()}")
					.includeAssignedTasks());
		Filter myTasks = filter(engine, FILTER_MY_TASKS, -5,
				engine.getTaskService().createTaskQuery().taskAssigneeExpression("${currentUser()}"));
		for (String group : new String[] { NurtureGroups.REPS,
				NurtureGroups.CUSTOMER_SUCCESS, NurtureGroups.MANAGERS }) {
			grants.toGroup(group, Resources.FILTER, groupTasks.getId(), Permissions.READ);
			grants.toGroup(group, Resources.FILTER, myTasks.getId(), Permissions.READ);
		}
	}

	/**
	 * Reps and customer success: Tasklist, and the tasks of their own group only. The engine grants
	 * a candidate group READ and UPDATE on each task as it is created; a grant on every task, or
	 * READ_TASK and UPDATE_TASK on the journeys, would show and open the managers' escalations and
	 * the other group's calls as well, so those (which earlier versions gave) are taken back.
	 */
	private static void workersOfTasks(Grants grants, String group) {
		grants.toGroup(group, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
		grants.toGroup(group, Resources.PROCESS_DEFINITION, ANY, Permissions.READ);
		grants.takeBack(group, Resources.TASK, ANY, Permissions.READ, Permissions.UPDATE);
		grants.takeBack(group, Resources.PROCESS_DEFINITION, ANY, Permissions.READ_TASK, Permissions.UPDATE_TASK);
	}

	/** Managers: Cockpit read access to journeys and their history, escalation tasks, incident retries. */
	private static void managers(Grants grants, String group) {
		grants.toGroup(group, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
		grants.toGroup(group, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
		grants.toGroup(group, Resources.PROCESS_DEFINITION, ANY, Permissions.READ, Permissions.READ_INSTANCE,
				Permissions.READ_HISTORY, Permissions.READ_TASK, Permissions.UPDATE_TASK,
				ProcessDefinitionPermissions.RETRY_JOB);
		grants.toGroup(group, Resources.PROCESS_INSTANCE, ANY, Permissions.READ, ProcessInstancePermissions.RETRY_JOB);
		grants.toGroup(group, Resources.TASK, ANY, Permissions.READ, Permissions.UPDATE);
		grants.toGroup(group, Resources.DECISION_DEFINITION, ANY, Permissions.READ, Permissions.READ_HISTORY);
		grants.toGroup(group, Resources.DECISION_REQUIREMENTS_DEFINITION, ANY, Permissions.READ);
		grants.toGroup(group, Resources.DEPLOYMENT, ANY, Permissions.READ);
	}

	/** Designers: deploy journeys, decisions and forms, and see their definitions in Cockpit. */
	private static void designers(Grants grants, String group) {
		grants.toGroup(group, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
		grants.toGroup(group, Resources.DEPLOYMENT, ANY, Permissions.CREATE, Permissions.READ, Permissions.DELETE);
		grants.toGroup(group, Resources.PROCESS_DEFINITION, ANY, Permissions.READ, Permissions.UPDATE,
				Permissions.DELETE, Permissions.READ_HISTORY);
		grants.toGroup(group, Resources.DECISION_DEFINITION, ANY, Permissions.READ, Permissions.UPDATE,
				Permissions.READ_HISTORY);
		grants.toGroup(group, Resources.DECISION_REQUIREMENTS_DEFINITION, ANY, Permissions.READ);
	}

	private void admin(IdentityService identity) {
		String id = this.properties.adminUser();
		if (identity.createUserQuery().userId(id).count() > 0) {
			ensureMember(identity, id, Groups.CAMUNDA_ADMIN);
			return;
		}
		String password = this.properties.adminPassword();
		boolean generated = password == null || password.isBlank();
		if (generated) {
			password = randomPassword();
		}
		User user = identity.newUser(id);
		user.setFirstName("Nurtureflow");
		user.setLastName("Administrator");
		user.setPassword(password);
		try {
			identity.saveUser(user);
		}
		catch (ProcessEngineException ex) {
			if (identity.createUserQuery().userId(id).count() == 0) {
				throw ex;
			}
			return; // another node created it at the same moment
		}
		ensureMember(identity, id, Groups.CAMUNDA_ADMIN);
		if (generated) {
			log.warn("""

					Created the administrator '{}' with the generated password: {}
					It is shown this once. Log in at /camunda and change it, or set NURTURE_ADMIN_PASSWORD before the first start.
					""", id, password);
		}
		else {
			log.info("Created the administrator '{}' with the password from NURTURE_ADMIN_PASSWORD", id);
		}
	}

	private static void ensureMember(IdentityService identity, String user, String group) {
		if (identity.createUserQuery().userId(user).memberOfGroup(group).count() == 0) {
			identity.createMembership(user, group);
		}
	}

	private static void group(IdentityService identity, String id, String name, String type) {
		if (identity.createGroupQuery().groupId(id).count() > 0) {
			return;
		}
		Group group = identity.newGroup(id);
		group.setName(name);
		group.setType(type);
		try {
			identity.saveGroup(group);
		}
		catch (ProcessEngineException ex) {
			if (identity.createGroupQuery().groupId(id).count() == 0) {
				throw ex;
			}
		}
	}

	private Filter filter(ProcessEngine engine, String name, int priority, TaskQuery query) {
		FilterService filters = engine.getFilterService();
		Filter existing = filters.createFilterQuery().filterName(name).singleResult();
		if (existing != null) {
			return existing;
		}
		Filter filter = filters.newTaskFilter(name)
			.setOwner(this.properties.adminUser())
			.setQuery(query)
			.setProperties(Map.of("priority", priority, "refresh", true, "description", name));
		filters.saveFilter(filter);
		return filter;
	}

	private static String randomPassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** Adds permissions to a group's grant on a resource, creating the grant when it is missing. */
	private record Grants(AuthorizationService authorizations) {

		void toGroup(String group, Resource resource, String resourceId, Permission... permissions) {
			Authorization grant = find(group, resource, resourceId);
			if (grant == null) {
				grant = this.authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
				grant.setGroupId(group);
				grant.setResource(resource);
				grant.setResourceId(resourceId);
			}
			for (Permission permission : permissions) {
				grant.addPermission(permission);
			}
			this.authorizations.saveAuthorization(grant);
		}

		/** Removes permissions from a group's grant on a resource, if it has any of them. */
		void takeBack(String group, Resource resource, String resourceId, Permission... permissions) {
			Authorization grant = find(group, resource, resourceId);
			if (grant == null || Arrays.stream(permissions).noneMatch(grant::isPermissionGranted)) {
				return;
			}
			for (Permission permission : permissions) {
				grant.removePermission(permission);
			}
			this.authorizations.saveAuthorization(grant);
		}

		private Authorization find(String group, Resource resource, String resourceId) {
			return this.authorizations.createAuthorizationQuery()
				.authorizationType(AUTH_TYPE_GRANT)
				.groupIdIn(group)
				.resourceType(resource)
				.resourceId(resourceId)
				.singleResult();
		}

	}

}
