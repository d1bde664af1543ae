package io.nurtureflow.journey;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import io.nurtureflow.support.NurtureflowTest;
import io.nurtureflow.support.People;
import io.nurtureflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidator;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidatorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.nurtureflow.journey.WebappEngineApiTest.TASKS;
import static io.nurtureflow.journey.WebappEngineApiTest.camundasBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client gets for a generated form ({@code camunda:formData}, as a designer may add one in
 * Camunda Modeler; the journeys' own forms are Camunda Forms, {@link CheckedFormSubmissionsTest})
 * submitted with a value one of its fields does not take: a value its type cannot be, or one a
 * constraint refuses. Each is {@code 400} in Camunda's body naming the field and what was wrong,
 * on a task's form as on a start form; the task stays open with nothing stored, no journey starts.
 */
@NurtureflowTest
@ExtendWith(OutputCaptureExtension.class)
class GeneratedFormSubmissionsTest {

	private static final String PROCESS = "generated-form";

	private static final String ADMIN = Api.basic("admin", "admin-secret");

	/** A referral's start form, and the lead's qualification with a field of each type and constraint. */
	private static final String BPMN = """
			<?xml version="1.0" encoding="UTF-8"?>
			<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
			    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
			    id="Definitions_GeneratedForm" targetNamespace="http://nurtureflow.io/test">
			  <process id="generated-form" isExecutable="true" camunda:historyTimeToLive="1">
			    <startEvent id="Start_Referral">
			      <extensionElements>
			        <camunda:formData>
			          <camunda:formField id="referrer" label="Referred by" type="string">
			            <camunda:validation><camunda:constraint name="required"/></camunda:validation>
			          </camunda:formField>
			          <camunda:formField id="referredOn" label="Referred on" type="date" datePattern="dd/MM/yyyy"/>
			        </camunda:formData>
			      </extensionElements>
			    </startEvent>
			    <sequenceFlow id="Flow_ToQualify" sourceRef="Start_Referral" targetRef="Task_QualifyLead"/>
			    <userTask id="Task_QualifyLead" name="Qualify the lead" camunda:candidateGroups="reps">
			      <extensionElements>
			        <camunda:formData>
			          <camunda:formField id="company" label="Company" type="string">
			            <camunda:validation>
			              <camunda:constraint name="required"/>
			              <camunda:constraint name="minlength" config="2"/>
			              <camunda:constraint name="maxlength" config="40"/>
			            </camunda:validation>
			          </camunda:formField>
			          <camunda:formField id="seats" label="Seats" type="long">
			            <camunda:validation>
			              <camunda:constraint name="min" config="1"/>
			              <camunda:constraint name="max" config="500"/>
			            </camunda:validation>
			          </camunda:formField>
			          <camunda:formField id="employees" label="Employees" type="long"/>
			          <camunda:formField id="decisionMaker" label="Decision maker" type="boolean"/>
			          <camunda:formField id="demoOn" label="Demo on" type="date" datePattern="dd/MM/yyyy"/>
			          <camunda:formField id="budget" label="Budget" type="enum">
			            <camunda:value id="low" name="Under 10k"/>
			            <camunda:value id="high" name="10k or more"/>
			          </camunda:formField>
			          <camunda:formField id="source" label="Source" type="string" defaultValue="inbound">
			            <camunda:validation><camunda:constraint name="readonly"/></camunda:validation>
			          </camunda:formField>
			          <camunda:formField id="workEmail" label="Work email" type="string">
			            <camunda:validation>
			              <camunda:constraint name="validator"
			                  config="io.nurtureflow.journey.GeneratedFormSubmissionsTest$WorkAddress"/>
			            </camunda:validation>
			          </camunda:formField>
			        </camunda:formData>
			      </extensionElements>
			    </userTask>
			    <sequenceFlow id="Flow_ToDemo" sourceRef="Task_QualifyLead" targetRef="Task_BookDemo"/>
			    <userTask id="Task_BookDemo" name="Book the demo"/>
			    <sequenceFlow id="Flow_ToEnd" sourceRef="Task_BookDemo" targetRef="End_DemoBooked"/>
			    <endEvent id="End_DemoBooked"/>
			  </process>
			</definitions>
			""";

	/** A task whose form the designer got wrong: a default its type cannot take, a bound that is no number. */
	private static final String BROKEN = """
			<?xml version="1.0" encoding="UTF-8"?>
			<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
			    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
			    id="Definitions_BrokenForm" targetNamespace="http://nurtureflow.io/test">
			  <process id="generated-form-broken" isExecutable="true" camunda:historyTimeToLive="1">
			    <startEvent id="Start_Renewal"/>
			    <sequenceFlow id="Flow_ToRenew" sourceRef="Start_Renewal" targetRef="Task_Renew"/>
			    <userTask id="Task_Renew" name="Renew">
			      <extensionElements>
			        <camunda:formData>
			          <camunda:formField id="renewsOn" label="Renews on" type="date" defaultValue="soon"/>
			          <camunda:formField id="seats" label="Seats" type="long">
			            <camunda:validation><camunda:constraint name="min" config="one"/></camunda:validation>
			          </camunda:formField>
			        </camunda:formData>
			      </extensionElements>
			    </userTask>
			    <sequenceFlow id="Flow_ToEnd" sourceRef="Task_Renew" targetRef="End_Renewed"/>
			    <endEvent id="End_Renewed"/>
			  </process>
			</definitions>
			""";

	private final Logger engineCommands = (Logger) LoggerFactory.getLogger(HandledCollisions.ENGINE_COMMANDS);

	private Level configured;

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Autowired
	RepositoryService repository;

	@Autowired
	RuntimeService runtime;

	@Autowired
	TaskService tasks;

	Api api;

	@BeforeEach
	void deployTheGeneratedForms() {
		this.api = new Api(this.port);
		this.configured = this.engineCommands.getLevel();
		this.engineCommands.setLevel(Level.INFO);
		this.repository.createDeployment()
			.name(PROCESS)
			.addString(PROCESS + ".bpmn", BPMN)
			.addString(PROCESS + "-broken.bpmn", BROKEN)
			.deploy();
	}

	@AfterEach
	void removeThem() {
		this.engineCommands.setLevel(this.configured);
		WebappEngineApiTest.undeploy(this.repository, PROCESS);
	}

	@Test
	void aValueTheFieldsTypeCannotTakeIsABadRequestAndLeavesTheTaskOpen() {
		String instance = this.runtime.startProcessInstanceByKey(PROCESS).getId();
		String task = task(instance, "Task_QualifyLead");

		assertRefused(submit(task, qualification("employees", "{\"value\":\"abc\",\"type\":\"String\"}")),
				"form field 'employees': 'abc' is not a whole number");
		assertRefused(submit(task, qualification("decisionMaker", "{\"value\":1}")),
				"form field 'decisionMaker': '1' is not true or false");
		assertRefused(submit(task, qualification("demoOn", "{\"value\":\"2025-03-14\",\"type\":\"String\"}")),
				"form field 'demoOn': '2025-03-14' is not a date as dd/MM/yyyy");
		assertRefused(submit(task, qualification("budget", "{\"value\":\"huge\",\"type\":\"String\"}")),
				"form field 'budget': 'huge' is not one of low, high");
		assertRefused(submit(task, qualification("company", "{\"value\":42}")),
				"form field 'company': '42' is not a text");

		assertThat(this.tasks.createTaskQuery().taskId(task).count()).as("the task is still open").isOne();
		assertThat(this.runtime.getVariables(instance)).as("nothing is stored").isEmpty();
	}

	@Test
	void aValueAConstraintRefusesIsABadRequestSayingWhichAndWhy() {
		String instance = this.runtime.startProcessInstanceByKey(PROCESS).getId();
		String task = task(instance, "Task_QualifyLead");

		assertRefused(submit(task, qualification("company", null)), "form field 'company': a value is required");
		assertRefused(submit(task, qualification("company", "{\"value\":\"A\"}")),
				"form field 'company': it must have at least 2 characters");
		assertRefused(submit(task, qualification("company", "{\"value\":\"" + "A".repeat(41) + "\"}")),
				"form field 'company': it may have at most 40 characters");
		assertRefused(submit(task, qualification("seats", "{\"value\":0,\"type\":\"Long\"}")),
				"form field 'seats': it must be at least 1");
		assertRefused(submit(task, qualification("seats", "{\"value\":501,\"type\":\"Long\"}")),
				"form field 'seats': it must be at most 500");
		assertRefused(submit(task, qualification("seats", "{\"value\":\"many\",\"type\":\"String\"}")),
				"form field 'seats': Numeric validator MinValidator cannot be used on non-numeric value many");
		assertRefused(submit(task, qualification("source", "{\"value\":\"outbound\"}")),
				"form field 'source': it is read-only and takes no value");
		assertRefused(submit(task, qualification("workEmail", "{\"value\":\"ana@gmail.com\"}")),
				"form field 'workEmail': a free mail address is not a work address");
		assertRefused(submit(task, qualification("workEmail", "{\"value\":\"ana\"}")),
				"form field 'workEmail': validation of validator(" + WorkAddress.class.getName() + ") failed");

		assertThat(this.tasks.createTaskQuery().taskId(task).count()).as("the task is still open").isOne();
		assertThat(this.runtime.getVariables(instance)).as("nothing is stored").isEmpty();
	}

	@Test
	void aStartFormWithABadValueStartsNoJourney() {
		assertRefused(startForm("{\"referrer\":{\"value\":\"Ana\"},\"referredOn\":{\"value\":\"2025-03-14\"}}"),
				"form field 'referredOn': '2025-03-14' is not a date as dd/MM/yyyy");
		assertRefused(startForm("{\"referredOn\":{\"value\":\"14/03/2025\"}}"),
				"form field 'referrer': a value is required");
		assertThat(this.runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS).count()).isZero();

		Response started = startForm("{\"referrer\":{\"value\":\"Ana\"},\"referredOn\":{\"value\":\"14/03/2025\"}}");

		assertThat(started.status()).as(started.body()).isEqualTo(200);
		String instance = started.json().path("id").asText();
		assertThat(this.runtime.getVariable(instance, "referredOn")).isInstanceOf(Date.class);
	}

	@Test
	void aGoodSubmissionCompletesTheTaskWithTheFieldsTypes() {
		String instance = this.runtime.startProcessInstanceByKey(PROCESS).getId();
		String task = task(instance, "Task_QualifyLead");

		Response submitted = submit(task, qualification(null, null));

		assertThat(submitted.status()).as(submitted.body()).isEqualTo(204);
		assertThat(this.tasks.createTaskQuery().taskId(task).count()).as("the task is done").isZero();
		assertThat(task(instance, "Task_BookDemo")).isNotNull();
		Map<String, Object> stored = this.runtime.getVariables(instance);
		assertThat(stored).containsEntry("company", "Acme")
			.containsEntry("seats", 12L)
			.containsEntry("employees", 250L)
			.containsEntry("decisionMaker", true)
			.containsEntry("budget", "high")
			.containsEntry("source", "inbound")
			.containsEntry("workEmail", "ana@acme.example");
		assertThat(stored.get("demoOn")).isInstanceOf(Date.class);
	}

	@Test
	void aFieldTheDesignerGotWrongStaysAServerError() {
		String task = task(this.runtime.startProcessInstanceByKey(PROCESS + "-broken").getId(), "Task_Renew");

		Response withoutTheDate = submit(task, "{\"variables\":{}}");
		Response withSeats = submit(task,
				"{\"variables\":{\"renewsOn\":{\"value\":\"01/01/2026\"},\"seats\":{\"value\":5}}}");

		assertThat(withoutTheDate.status()).as(withoutTheDate.body()).isEqualTo(500);
		assertThat(withSeats.status()).as(withSeats.body()).isEqualTo(500);
		assertThat(this.tasks.createTaskQuery().taskId(task).count()).isOne();
	}

	@Test
	void tasklistGetsTheSameAnswerAndTheLogNoError(CapturedOutput output) {
		String task = task(this.runtime.startProcessInstanceByKey(PROCESS).getId(), "Task_QualifyLead");
		WebappSession rep = new WebappSession(this.port);
		assertThat(rep.login(new People(this.identity).member("reps"), People.PASSWORD, "tasklist")).isEqualTo(200);
		int before = output.getOut().length();

		HttpResponse<String> seats = rep.send("POST", TASKS + task + "/submit-form",
				qualification("seats", "{\"value\":0,\"type\":\"Long\"}"));
		HttpResponse<String> employees = rep.send("POST", TASKS + task + "/submit-form",
				qualification("employees", "{\"value\":\"abc\",\"type\":\"String\"}"));

		assertThat(seats.statusCode()).as(seats.body()).isEqualTo(400);
		assertThat(camundasBody(seats).path("message").asText()).contains("form field 'seats': it must be at least 1");
		assertThat(employees.statusCode()).as(employees.body()).isEqualTo(400);
		assertThat(camundasBody(employees).path("message").asText()).contains("form field 'employees'");
		assertThat(this.tasks.createTaskQuery().taskId(task).count()).isOne();
		assertThat(output.getOut().substring(before)).doesNotContain(" ERROR ", "ENGINE-16004", "\tat org.camunda");
	}

	private static void assertRefused(Response response, String saying) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/json");
		JsonNode body = response.json();
		assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "message", "code");
		assertThat(body.path("message").asText()).contains(saying);
	}

	/**
	 * The qualification as Tasklist sends it with every field right, but this field's value (JSON,
	 * or null to leave the field out); no field changed when the field is null.
	 */
	private static String qualification(String field, String value) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("company", "{\"value\":\"Acme\",\"type\":\"String\"}");
		values.put("seats", "{\"value\":12,\"type\":\"Long\"}");
		values.put("employees", "{\"value\":250,\"type\":\"Long\"}");
		values.put("decisionMaker", "{\"value\":true,\"type\":\"Boolean\"}");
		values.put("demoOn", "{\"value\":\"14/03/2025\",\"type\":\"String\"}");
		values.put("budget", "{\"value\":\"high\",\"type\":\"String\"}");
		values.put("workEmail", "{\"value\":\"ana@acme.example\",\"type\":\"String\"}");
		if (field != null) {
			values.put(field, value);
		}
		return "{\"variables\":{" + values.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() != null)
			.map((entry) -> "\"" + entry.getKey() + "\":" + entry.getValue())
			.collect(Collectors.joining(",")) + "}}";
	}

	private Response submit(String task, String body) {
		return post("/engine-rest/task/" + task + "/submit-form", body);
	}

	private Response startForm(String variables) {
		return post("/engine-rest/process-definition/key/" + PROCESS + "/submit-form", "{\"variables\":" + variables + "}");
	}

	private Response post(String path, String body) {
		return this.api.send(this.api.request(path, "Authorization", ADMIN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private String task(String instance, String activity) {
		return this.tasks.createTaskQuery()
			.processInstanceId(instance)
			.taskDefinitionKey(activity)
			.singleResult()
			.getId();
	}

	/** A designer's own check, as the diagram names it: an address, and not a free mail one. */
	public static class WorkAddress implements FormFieldValidator {

		@Override
		public boolean validate(Object submittedValue, FormFieldValidatorContext context) {
			if (submittedValue instanceof String address && address.endsWith("@gmail.com")) {
				throw new FormFieldValidationException("freemail", "a free mail address is not a work address");
			}
			return submittedValue == null || String.valueOf(submittedValue).contains("@");
		}

	}

}
