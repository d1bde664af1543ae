package io.nurtureflow.lead;

import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.journey.LeadNurture;
import io.nurtureflow.support.Api;
import io.nurtureflow.support.Api.Response;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Importing leads from CSV; run on H2 and on PostgreSQL by the subclasses. */
abstract class LeadCsvImportScenarios {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RuntimeService runtime;

	@Autowired
	RepositoryService repository;

	@Autowired
	HistoryService history;

	Api api;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@Test
	void goodDuplicateAndBadRowsAreReportedRowByRow() {
		String known = "known-" + UUID.randomUUID() + "@example.com";
		this.api.postJson("/api/leads", "{\"email\":\"" + known + "\"}");
		String fresh = "fresh-" + UUID.randomUUID() + "@example.com";
		String csv = """
				Email,First Name,last_name,company,country,phone,timeZone,interests,consentEmail,consentSms
				%s,Grace,Hopper,Navy,US,+1 415 555 2671,America/New_York,compilers;cobol,yes,no
				not-an-email,Bad,Row,,,,,,,
				%s,Known,Again,,,,,,,
				"%s",Quoted,Lovelace,"Comma, Inc",DE,030 901820,Europe/Berlin,,1,0
				only,three,fields
				""".formatted(fresh, known.toUpperCase(), "q-" + fresh);

		Response answer = this.api.postCsv("/api/leads/import", csv);

		assertThat(answer.status()).isEqualTo(200);
		JsonNode report = answer.json();
		assertThat(report.get("created").asInt()).isEqualTo(2);
		assertThat(report.get("duplicates").asInt()).isEqualTo(1);
		assertThat(report.get("rejected").asInt()).isEqualTo(2);
		JsonNode rows = report.get("rows");
		assertThat(rows.get(0).get("status").asText()).isEqualTo("CREATED");
		assertThat(rows.get(1).get("row").asInt()).isEqualTo(2);
		assertThat(rows.get(1).get("status").asText()).isEqualTo("REJECTED");
		assertThat(rows.get(1).get("errors").findValuesAsText("field")).containsExactly("email");
		assertThat(rows.get(2).get("status").asText()).isEqualTo("DUPLICATE");
		assertThat(rows.get(3).get("status").asText()).isEqualTo("CREATED");
		assertThat(rows.get(4).get("errors").get(0).get("field").asText()).isEqualTo("row");

		String grace = rows.get(0).get("leadId").asText();
		JsonNode lead = this.api.get("/api/leads/" + grace).json();
		assertThat(lead.get("phone").asText()).isEqualTo("+14155552671");
		assertThat(lead.get("interests")).extracting(JsonNode::asText).containsExactly("cobol", "compilers");
		assertThat(lead.get("consent").get("email").asBoolean()).isTrue();
		assertThat(lead.get("activeJourneys")).hasSize(1);
		assertThat(this.api.get("/api/leads/" + rows.get(3).get("leadId").asText()).json().get("company").asText())
			.isEqualTo("Comma, Inc");
		assertThat(this.jdbc.sql("select count(*) from lead where email = 'not-an-email'").query(Long.class).single())
			.isZero();
	}

	/** An imported list is a submission like a form: it fills what the lead lacked and gives the consent it ticks. */
	@Test
	void aKnownLeadInAnImportGetsTheDetailsItLackedAndTheConsentTicked() {
		String known = "known-" + UUID.randomUUID() + "@example.com";
		String id = this.api.postJson("/api/leads", "{\"email\":\"" + known + "\",\"firstName\":\"Grace\"}")
			.json()
			.get("id")
			.asText();
		String csv = """
				email,firstName,lastName,phone,country,consentEmail,consentSms
				%s,Amazing,Hopper,+1 415 555 2764,US,yes,yes
				""".formatted(known);

		Response answer = this.api.postCsv("/api/leads/import", csv);

		assertThat(answer.json().get("rows").get(0).get("status").asText()).isEqualTo("DUPLICATE");
		JsonNode lead = this.api.get("/api/leads/" + id).json();
		assertThat(lead.get("firstName").asText()).isEqualTo("Grace");
		assertThat(lead.get("lastName").asText()).isEqualTo("Hopper");
		assertThat(lead.get("phone").asText()).isEqualTo("+14155552764");
		assertThat(lead.get("consent").get("email").asBoolean()).isTrue();
		assertThat(lead.get("consent").get("sms").asBoolean()).isTrue();
		assertThat(this.jdbc.sql("select source from consent where lead_id = ? and granted = true")
			.param(UUID.fromString(id))
			.query(String.class)
			.list()).containsExactly("submitted again: csv", "submitted again: csv");
	}

	/**
	 * An operator who uploads the same list again repeats an upload; the leads did not come back.
	 * Nothing is recorded: no re-conversion for the scores, insights or the cadence's wait for a
	 * returning lead, and no journey started again for a lead that left its own.
	 */
	@Test
	void theSameFileImportedAgainChangesNothingAndCountsNoReconversion() {
		String batch = UUID.randomUUID().toString();
		String csv = """
				email,firstName,company,country,interests,consentEmail
				grace-%1$s@example.com,Grace,Navy,US,compilers;cobol,yes
				ada-%1$s@example.com,Ada,Analytical Engines,GB,,no
				""".formatted(batch);
		JsonNode first = this.api.postCsv("/api/leads/import", csv).json();
		assertThat(first.get("created").asInt()).isEqualTo(2);
		String grace = first.get("rows").get(0).get("leadId").asText();
		String ada = first.get("rows").get(1).get("leadId").asText();
		assertThat(this.api.send(this.api.request("/api/leads/" + ada + "/disqualify?reason=competitor")
			.POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);

		Response again = this.api.postCsv("/api/leads/import", csv);

		JsonNode report = again.json();
		assertThat(again.status()).as(again.body()).isEqualTo(200);
		assertThat(report.get("created").asInt()).isZero();
		assertThat(report.get("duplicates").asInt()).isZero();
		assertThat(report.get("unchanged").asInt()).isEqualTo(2);
		assertThat(report.get("rows").findValuesAsText("status")).containsExactly("UNCHANGED", "UNCHANGED");
		assertThat(report.get("rows").findValuesAsText("leadId")).containsExactly(grace, ada);
		assertThat(reconversions(grace)).isZero();
		assertThat(reconversions(ada)).isZero();
		assertThat(this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(grace).count()).isOne();
		assertThat(this.runtime.createProcessInstanceQuery().processInstanceBusinessKey(ada).count()).isZero();
		assertThat(this.api.get("/api/leads/" + ada).json().get("stage").asText()).isEqualTo("DISQUALIFIED");
	}

	/**
	 * A disqualified lead on a new list (a row that brings it something new) is taken back as
	 * through a form: a lead again, with a new journey, its disqualification kept with the journey it
	 * ended. The same row imported again repeats the upload and changes nothing.
	 */
	@Test
	void aDisqualifiedLeadOnANewListIsANewLeadWithANewJourneyAndTheListAgainChangesNothing() {
		String email = "known-" + UUID.randomUUID() + "@example.com";
		String id = this.api.postJson("/api/leads", "{\"email\":\"" + email + "\",\"firstName\":\"Grace\"}")
			.json()
			.get("id")
			.asText();
		String disqualified = this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(id)
			.singleResult()
			.getId();
		assertThat(this.api.send(this.api.request("/api/leads/" + id + "/disqualify?reason=competitor")
			.POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
		String csv = "email,firstName,title,campaign\n" + email + ",Grace,CTO,win-back-q1\n";

		JsonNode report = this.api.postCsv("/api/leads/import", csv).json();

		assertThat(report.get("rows").get(0).get("status").asText()).isEqualTo("DUPLICATE");
		JsonNode lead = this.api.get("/api/leads/" + id).json();
		assertThat(lead.get("stage").asText()).isEqualTo("NEW");
		assertThat(lead.get("title").asText()).isEqualTo("CTO");
		assertThat(lead.get("activeJourneys")).hasSize(1);
		String journey = lead.get("activeJourneys").get(0).get("instanceId").asText();
		assertThat(journey).isNotEqualTo(disqualified);
		assertThat(this.history.createHistoricActivityInstanceQuery()
			.processInstanceId(disqualified)
			.activityId("EndEvent_ExitDisqualified")
			.finished()
			.count()).isOne();
		assertThat(reconversions(id)).isOne();

		JsonNode repeated = this.api.postCsv("/api/leads/import", csv).json();

		assertThat(repeated.get("rows").get(0).get("status").asText()).isEqualTo("UNCHANGED");
		assertThat(reconversions(id)).isOne();
		JsonNode after = this.api.get("/api/leads/" + id).json();
		assertThat(after.get("stage").asText()).isEqualTo("NEW");
		assertThat(after.get("activeJourneys").findValuesAsText("instanceId")).containsExactly(journey);
	}

	/**
	 * A list of leads known before, imported twice: the first import is their re-conversion and
	 * fills what they lacked; the second repeats it. A row that then brings wider consent or a
	 * detail the lead lacks is taken in again.
	 */
	@Test
	void aListOfKnownLeadsImportedAgainCountsTheirReconversionOnce() {
		String email = "known-" + UUID.randomUUID() + "@example.com";
		String id = this.api.postJson("/api/leads", "{\"email\":\"" + email + "\",\"firstName\":\"Grace\","
				+ "\"title\":\"CTO\",\"campaign\":\"q2-ads\"}").json().get("id").asText();
		String webinar = "email,firstName,lastName,title,campaign\n" + email
				+ ",Grace,Hopper,Rear Admiral,webinar-q3\n";
		assertThat(this.api.postCsv("/api/leads/import", webinar).json().get("rows").get(0).get("status").asText())
			.isEqualTo("DUPLICATE");
		assertThat(reconversions(id)).isOne();

		JsonNode repeated = this.api.postCsv("/api/leads/import", webinar).json();

		assertThat(repeated.get("rows").get(0).get("status").asText()).isEqualTo("UNCHANGED");
		assertThat(reconversions(id)).isOne();

		JsonNode wider = this.api.postCsv("/api/leads/import",
				"email,firstName,lastName,consentEmail\n" + email + ",Grace,Hopper,yes\n").json();

		assertThat(wider.get("rows").get(0).get("status").asText()).isEqualTo("DUPLICATE");
		assertThat(reconversions(id)).isEqualTo(2);
		JsonNode lead = this.api.get("/api/leads/" + id).json();
		assertThat(lead.get("consent").get("email").asBoolean()).isTrue();
		assertThat(lead.get("lastName").asText()).isEqualTo("Hopper");
		assertThat(lead.get("title").asText()).isEqualTo("CTO");
	}

	@Test
	void aByteOrderMarkBeforeTheHeaderIsIgnored() {
		String email = "bom-" + UUID.randomUUID() + "@example.com";

		Response answer = this.api.postCsv("/api/leads/import", "\uFEFFemail,consentEmail\n" + email + ",true\n");

		assertThat(answer.json().get("created").asInt()).isOne();
	}

	@Test
	void aRowThatFailsAValueCheckIsRejectedWhole() {
		String email = "flag-" + UUID.randomUUID() + "@example.com";

		Response answer = this.api.postCsv("/api/leads/import", "email,consentSms\n" + email + ",perhaps\n");

		JsonNode row = answer.json().get("rows").get(0);
		assertThat(row.get("status").asText()).isEqualTo("REJECTED");
		assertThat(row.get("errors").get(0).get("field").asText()).isEqualTo("consentSms");
		assertThat(this.jdbc.sql("select count(*) from lead where email = ?").param(email).query(Long.class).single())
			.isZero();
	}

	@Test
	void aRowWhoseTextLowerCaseLengthensPastItsColumnIsRejectedAndTheNextIsRead() {
		String lengthened = "flag-" + UUID.randomUUID() + "@example.com";
		String next = "flag-" + UUID.randomUUID() + "@example.com";

		Response answer = this.api.postCsv("/api/leads/import",
				"email,interests\n" + lengthened + "," + "İ".repeat(60) + "\n" + next + ",analytics\n");

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		JsonNode rows = answer.json().get("rows");
		assertThat(rows.get(0).get("status").asText()).isEqualTo("REJECTED");
		assertThat(rows.get(0).get("errors").get(0).get("field").asText()).isEqualTo("interests");
		assertThat(rows.get(1).get("status").asText()).isEqualTo("CREATED");
		assertThat(this.jdbc.sql("select count(*) from lead where email = ?").param(lengthened).query(Long.class).single())
			.isZero();
	}

	@Test
	void unknownColumnsRefuseTheFileBeforeAnyRowIsRead() {
		String email = "col-" + UUID.randomUUID() + "@example.com";

		Response refused = this.api.postCsv("/api/leads/import", "email,shoeSize\n" + email + ",44\n");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("detail").asText()).contains("shoeSize");
		assertThat(this.jdbc.sql("select count(*) from lead where email = ?").param(email).query(Long.class).single())
			.isZero();
	}

	@Test
	void aFileWithoutAnEmailColumnOrHeaderIsRefused() {
		assertThat(this.api.postCsv("/api/leads/import", "firstName\nAda\n").status()).isEqualTo(400);
		assertThat(this.api.postCsv("/api/leads/import", "").status()).isEqualTo(400);
		assertThat(this.api.postCsv("/api/leads/import", "email,email\na@b.co,c@d.co\n").status()).isEqualTo(400);
	}

	/**
	 * A row that cannot be stored for a reason of ours (here: new journeys cannot start) stops the
	 * import, and the answer still says which rows went in, so that the client sends only the rest.
	 */
	@Test
	void aRowThatCannotBeStoredStopsReadingAndTheReportKeepsTheRowsBeforeIt() {
		String known = "known-" + UUID.randomUUID() + "@example.com";
		String knownId = this.api.postJson("/api/leads", "{\"email\":\"" + known + "\"}").json().get("id").asText();
		String fresh = "fresh-" + UUID.randomUUID() + "@example.com";
		String after = "after-" + UUID.randomUUID() + "@example.com";
		this.repository.suspendProcessDefinitionByKey(LeadNurture.PROCESS_KEY);
		Response answer;
		try {
			// the known lead's row brings a name it lacked: a re-conversion, stored before row 2 fails
			answer = this.api.postCsv("/api/leads/import",
					"email,firstName\n" + known + ",Grace\n" + fresh + ",\n" + after + ",\n");
		}
		finally {
			this.repository.activateProcessDefinitionByKey(LeadNurture.PROCESS_KEY);
		}

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		JsonNode report = answer.json();
		assertThat(report.get("duplicates").asInt()).isOne();
		assertThat(report.get("created").asInt()).isZero();
		assertThat(report.get("rows")).hasSize(1);
		assertThat(report.get("rows").get(0).get("leadId").asText()).isEqualTo(knownId);
		assertThat(report.get("error").asText()).startsWith("Reading stopped at row 2");
		assertThat(this.jdbc.sql("select count(*) from lead where email in (?, ?)")
			.params(fresh, after)
			.query(Long.class)
			.single()).isZero();
	}

	/** What a spreadsheet saves as "CSV" on Windows: Windows-1252, where ü is the single byte FC. */
	@Test
	void aFileThatIsNotUtf8IsRefusedNamingTheLineAndNothingIsStored() {
		String email = "latin-" + UUID.randomUUID() + "@example.com";

		Response refused = postCsv("text/csv", "email,firstName,lastName\n" + email + ",Jürgen,Müller\n",
				Charset.forName("windows-1252"));

		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("detail").asText()).contains("Line 2", "not valid UTF-8", "save the file as UTF-8");
		assertThat(this.jdbc.sql("select count(*) from lead where email = ?").param(email).query(Long.class).single())
			.isZero();
	}

	/**
	 * The file is read as it arrives, so rows before the bytes that are not UTF-8 are in by the
	 * time they come: as with broken quoting, the report keeps them and says where reading stopped.
	 */
	@Test
	void bytesThatAreNotUtf8AfterStoredRowsStopReadingAtTheirLine() {
		String before = "before-" + UUID.randomUUID() + "@example.com";
		String latin = "latin-" + UUID.randomUUID() + "@example.com";
		String after = "after-" + UUID.randomUUID() + "@example.com";

		Response answer = postCsv("text/csv",
				"email,lastName\n" + before + ",Hopper\n" + latin + ",Müller\n" + after + ",Lovelace\n",
				StandardCharsets.ISO_8859_1);

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		JsonNode report = answer.json();
		assertThat(report.get("created").asInt()).isOne();
		assertThat(report.get("error").asText()).startsWith("Reading stopped after row 1")
			.contains("line 3", "not valid UTF-8", "save the file as UTF-8");
		assertThat(this.jdbc.sql("select count(*) from lead where email in (?, ?)")
			.params(latin, after)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aFileWhoseCharsetIsNamedIsReadInIt() {
		String email = "named-" + UUID.randomUUID() + "@example.com";

		Response answer = postCsv("text/csv; charset=windows-1252", "email,lastName\n" + email + ",Müller\n",
				Charset.forName("windows-1252"));

		assertThat(answer.json().get("created").asInt()).as(answer.body()).isOne();
		assertThat(this.jdbc.sql("select last_name from lead where email = ?").param(email).query(String.class).single())
			.isEqualTo("Müller");
	}

	@Test
	void aCharsetThatIsNotKnownIsRefused() {
		String email = "bogus-" + UUID.randomUUID() + "@example.com";

		Response refused = postCsv("text/csv; charset=bogus", "email\n" + email + "\n", StandardCharsets.UTF_8);

		assertThat(refused.status()).isEqualTo(415);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(this.jdbc.sql("select count(*) from lead where email = ?").param(email).query(Long.class).single())
			.isZero();
	}

	@Test
	void brokenQuotingStopsReadingButKeepsTheRowsBeforeIt() {
		String before = "before-" + UUID.randomUUID() + "@example.com";

		Response answer = this.api.postCsv("/api/leads/import",
				"email,company\n" + before + ",Fine\nbroken@example.com,\"Unclosed\n");

		JsonNode report = answer.json();
		assertThat(answer.status()).isEqualTo(200);
		assertThat(report.get("created").asInt()).isOne();
		assertThat(report.get("error").asText()).contains("malformed");
		assertThat(this.jdbc.sql("select count(*) from lead where email = 'broken@example.com'")
			.query(Long.class)
			.single()).isZero();
	}

	private long reconversions(String lead) {
		return this.jdbc.sql("select count(*) from engagement_event where lead_id = ? and type = 'RECONVERSION'")
			.param(UUID.fromString(lead))
			.query(Long.class)
			.single();
	}

	private Response postCsv(String contentType, String csv, Charset charset) {
		return this.api.send(this.api.request("/api/leads/import")
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(csv.getBytes(charset))));
	}

}
