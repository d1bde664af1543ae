package io.nurtureflow.journey;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response.Status;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidatorException;
import org.camunda.bpm.model.xml.ModelParseException;
import org.xml.sax.SAXException;

/**
 * Tells, among the engine's failures that Camunda's REST API answers 500, those that the request
 * itself caused. Camunda has an exception type for few of them (a value a generated form's
 * constraint refused), so the others are recognised by what is certain about them: the SQLSTATE the
 * database refused the request's values with, the service of the engine the request called, or the
 * method of the engine that refused a value the request brought. A failure recognised by none of
 * these keeps its 500; it may be a fault of the server.
 */
final class RequestFaults {

	/** SQLSTATE of a value longer than its column, on H2 and PostgreSQL alike. */
	private static final String VALUE_TOO_LONG = "22001";

	/** SQLSTATE of a unique or primary key violation, on H2 and PostgreSQL alike. */
	private static final String UNIQUE_VIOLATION = "23505";

	/**
	 * The column's length in the database's words: H2 names the column ("NAME_ CHARACTER
	 * VARYING(255)"), PostgreSQL only its type ("character varying(255)").
	 */
	private static final Pattern COLUMN_LENGTH = Pattern.compile("(?i)varying\\((\\d+)\\)");

	/**
	 * The engine's services that insert rows under keys their caller chose, each with what a unique
	 * violation in it means. Users, groups and tenants are not here: the engine says itself that
	 * they exist ({@link BadUserRequestException}).
	 */
	private static final Map<String, String> KEYED_BY_THE_CALLER = Map.of(
			"org.camunda.bpm.engine.impl.IdentityServiceImpl.createMembership",
			"The user is a member of the group already",
			"org.camunda.bpm.engine.impl.IdentityServiceImpl.createTenantUserMembership",
			"The user is a member of the tenant already",
			"org.camunda.bpm.engine.impl.IdentityServiceImpl.createTenantGroupMembership",
			"The group is a member of the tenant already",
			"org.camunda.bpm.engine.impl.AuthorizationServiceImpl.saveAuthorization",
			"An authorization of this user or group on this resource exists already",
			"org.camunda.bpm.engine.impl.TaskServiceImpl.saveTask", "A task with this id exists already");

	/**
	 * The engine's checks of a variable that arrives serialized, as only a client sends it: in
	 * Java serialization (which the engine refuses), or as an object without its type's name.
	 */
	private static final Set<String> SERIALIZED_VALUE_CHECKS = Set.of(
			"org.camunda.bpm.engine.impl.core.variable.VariableUtil.checkJavaSerialization",
			"org.camunda.bpm.engine.impl.variable.serializer.AbstractObjectValueSerializer.getObjectTypeName");

	/**
	 * The engine's check of a variable value a query compares with: an object (a JSON object where
	 * a query's variable wants a text, number or boolean) cannot be compared in the database.
	 */
	private static final Set<String> QUERY_VALUE_CHECKS = Set
		.of("org.camunda.bpm.engine.impl.SingleQueryVariableValueCondition.determineSerializer");

	private static final String DEPLOYING = "org.camunda.bpm.engine.impl.cmd.DeployCmd";

	/**
	 * The engine's check of a user's, group's or tenant's id against the pattern it allows: ids the
	 * caller chose, as it creates one or changes a profile.
	 */
	private static final String RESOURCE_ID_CHECK = "org.camunda.bpm.engine.impl.util.EnsureUtil"
			+ ".ensureWhitelistedResourceId";

	private RequestFaults() {
	}

	/** What the request did wrong, or null when the failure is not surely its fault. */
	static Fault of(ProcessEngineException ex) {
		if (ex instanceof FormFieldValidatorException refused) {
			return new Fault(Status.BAD_REQUEST, GeneratedFormValues.whatWasWrong(refused));
		}
		SQLException tooLong = sqlState(ex, VALUE_TOO_LONG);
		if (tooLong != null) {
			return tooLong(tooLong);
		}
		if (sqlState(ex, UNIQUE_VIOLATION) != null) {
			return taken(ex);
		}
		if (raisedBy(ex, SERIALIZED_VALUE_CHECKS)) {
			return new Fault(Status.BAD_REQUEST, null);
		}
		if (passedThrough(ex, RESOURCE_ID_CHECK)) {
			return new Fault(Status.BAD_REQUEST, null);
		}
		if (raisedBy(ex, QUERY_VALUE_CHECKS)) {
			return new Fault(Status.BAD_REQUEST, "A query's variable value must be a text, a number, a boolean "
					+ "or null, not an object");
		}
		return unparsable(ex);
	}

	/**
	 * A value longer than its column. What the engine stores in columns of bounded length while it
	 * serves its REST API (ids, names, business keys, strings up to 4,000 characters) is what the
	 * request brought, or what the journey's steps that run within the request derive from it; the
	 * engine cuts its own texts (exception messages of jobs and incidents) to length, and the
	 * journeys keep only ids and bounded values in variables. So the request's value is too long.
	 */
	private static Fault tooLong(SQLException refused) {
		Matcher length = COLUMN_LENGTH.matcher(String.valueOf(refused.getMessage()));
		String limit = length.find() ? ": it may have at most " + length.group(1) + " characters" : "";
		return new Fault(Status.BAD_REQUEST, "A value is too long" + limit);
	}

	/**
	 * A key that is taken, where the request chose the key: a user, group or tenant id the engine
	 * itself found in use, or a membership, authorization or task id inserted by a service that
	 * takes them from its caller. A unique violation anywhere else (two transactions inserting a
	 * variable of one name, ids of a misconfigured cluster colliding) may be the server's, and
	 * keeps its 500.
	 */
	private static Fault taken(ProcessEngineException ex) {
		if (ex instanceof BadUserRequestException) {
			return new Fault(Status.CONFLICT, null);
		}
		for (StackTraceElement frame : ex.getStackTrace()) {
			String taken = KEYED_BY_THE_CALLER.get(frame.getClassName() + "." + frame.getMethodName());
			if (taken != null) {
				return new Fault(Status.CONFLICT, taken);
			}
		}
		return null;
	}

	/**
	 * A resource of a new deployment that is not well-formed XML: the engine's parser says so in a
	 * {@link SAXException} (BPMN) or the model API in a {@link ModelParseException} (DMN). Only a
	 * deployment is asked for: the engine also parses resources it stored long ago, and one of
	 * those that failed would be the server's fault. Camunda's message names the resource; where
	 * it does not say what is wrong with it, the parser's words are added.
	 */
	private static Fault unparsable(ProcessEngineException ex) {
		SAXException parser = Collisions.first(ex, SAXException.class);
		boolean unparsable = parser != null || Collisions.first(ex, ModelParseException.class) != null;
		if (!unparsable || !calledFrom(ex, DEPLOYING)) {
			return null;
		}
		String said = String.valueOf(ex.getMessage());
		boolean unsaid = parser != null && parser.getMessage() != null && !said.contains(parser.getMessage());
		return new Fault(Status.BAD_REQUEST, unsaid ? said + " " + parser.getMessage() : null);
	}

	/** The database's refusal with this SQLSTATE among the failure's causes, or null. */
	private static SQLException sqlState(Throwable ex, String state) {
		SQLException sql = Collisions.first(ex, SQLException.class, (cause) -> state.equals(cause.getSQLState())
				|| (cause.getNextException() != null && state.equals(cause.getNextException().getSQLState())));
		if (sql != null && !state.equals(sql.getSQLState())) {
			return sql.getNextException();
		}
		return sql;
	}

	/**
	 * Whether the engine raised the failure in one of these methods ({@code class.method}), past
	 * the logger that worded it or the JDK's method that refused the value ({@link Long#valueOf}).
	 */
	static boolean raisedBy(Throwable ex, Set<String> methods) {
		for (StackTraceElement frame : ex.getStackTrace()) {
			if (!frame.getClassName().endsWith("Logger") && !frame.getClassName().startsWith("java.")) {
				return methods.contains(frame.getClassName() + "." + frame.getMethodName());
			}
		}
		return false;
	}

	/** Whether the failure was raised in this method ({@code class.method}), however deep. */
	private static boolean passedThrough(Throwable ex, String method) {
		for (StackTraceElement frame : ex.getStackTrace()) {
			if (method.equals(frame.getClassName() + "." + frame.getMethodName())) {
				return true;
			}
		}
		return false;
	}

	private static boolean calledFrom(Throwable ex, String className) {
		for (StackTraceElement frame : ex.getStackTrace()) {
			if (frame.getClassName().equals(className)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The status the request deserves, and what to tell its client where Camunda's message does
	 * not say what was wrong (null: Camunda's says it).
	 */
	record Fault(Status status, String message) {
	}

}
