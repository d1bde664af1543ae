package io.nurtureflow.support;

import java.util.UUID;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/** Users of the webapps, one fresh user per test so no test shares a login (or a lock-out). */
public final class People {

	public static final String PASSWORD = "correct horse battery staple";

	private final IdentityService identity;

	public People(IdentityService identity) {
		this.identity = identity;
	}

	/** A new user in the group, without a name; returns the user id. */
	public String member(String group) {
		return member(group, null, null);
	}

	/** A new user in the group, with a name for the webapps' header; returns the user id. */
	public String member(String group, String firstName, String lastName) {
		// user ids may not have the dashes group ids may ("customer-success")
		String id = group.replace("-", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		User user = this.identity.newUser(id);
		user.setFirstName(firstName);
		user.setLastName(lastName);
		user.setEmail(id + "@nurtureflow.test");
		user.setPassword(PASSWORD);
		this.identity.saveUser(user);
		this.identity.createMembership(id, group);
		return id;
	}

}
