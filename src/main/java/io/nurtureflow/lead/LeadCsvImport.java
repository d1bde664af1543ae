package io.nurtureflow.lead;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Imports leads from CSV while reading it: one row at a time, each in a transaction of its own,
 * so a bad row is reported and skipped and a good one is either fully in (lead and journey) or
 * not at all. Columns carry the API's field names; case, spaces, dashes and underscores in the
 * header are ignored ({@code first_name}, {@code First Name} and {@code firstName} are one).
 */
@Service
public class LeadCsvImport {

	private static final Logger log = LoggerFactory.getLogger(LeadCsvImport.class);

	private static final char BYTE_ORDER_MARK = '\uFEFF';

	/** What to do about a file in another encoding, which spreadsheets on Windows save by default. */
	private static final String SAVE_AS_UTF8 = "save the file as UTF-8 (in Excel: CSV UTF-8)"
			+ " or name its encoding in the Content-Type (text/csv; charset=windows-1252)";

	private static final List<String> COLUMNS = List.of("email", "phone", "firstName", "lastName", "company", "title",
			"industry", "companySize", "country", "timeZone", "source", "campaign", "interests", "consentEmail",
			"consentSms");

	private static final Map<String, String> COLUMN_BY_KEY = COLUMNS.stream()
		.collect(Collectors.toMap(LeadCsvImport::key, Function.identity()));

	private static final Set<String> YES = Set.of("true", "yes", "y", "1");

	private static final Set<String> NO = Set.of("false", "no", "n", "0", "");

	private final LeadValidator validator;

	private final LeadIntake intake;

	private final int maxRows;

	LeadCsvImport(LeadValidator validator, LeadIntake intake, LeadProperties properties) {
		this.validator = validator;
		this.intake = intake;
		this.maxRows = properties.importMaxRows();
	}

	public ImportReport importLeads(Reader source) throws IOException {
		CSVFormat format = CSVFormat.DEFAULT.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.setIgnoreEmptyLines(true)
			.setIgnoreSurroundingSpaces(true)
			.setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
			.get();
		CSVParser parser;
		try {
			parser = CSVParser.builder().setReader(withoutByteOrderMark(source)).setFormat(format).get();
		}
		catch (UndecodableTextException ex) {
			throw notText(ex);
		}
		catch (IllegalArgumentException | UncheckedIOException ex) {
			throw undecodable(ex).map(LeadCsvImport::notText)
				.orElseGet(() -> new InvalidImportException("The header row cannot be read: " + ex.getMessage()));
		}
		try (parser) {
			Map<String, String> columns = columns(parser.getHeaderNames());
			return readRows(parser, columns);
		}
	}

	private ImportReport readRows(CSVParser parser, Map<String, String> columns) {
		var tally = new Tally();
		var rows = parser.iterator();
		long row = 0;
		while (true) {
			CSVRecord record;
			try {
				if (!rows.hasNext()) {
					return tally.report(null);
				}
				record = rows.next();
			}
			catch (UncheckedIOException | IllegalStateException ex) {
				return stopped(tally, row, ex);
			}
			row++;
			if (row > this.maxRows) {
				return tally.report("Reading stopped after row " + this.maxRows + ": an import takes at most "
						+ this.maxRows + " rows");
			}
			ImportReport.Row imported;
			try {
				imported = importRow(row, record, columns);
			}
			catch (RuntimeException ex) {
				if (!tally.storedAny()) {
					throw ex; // nothing changed yet: the failure is the answer, and the whole file may come again
				}
				return tally.report("Reading stopped at row " + row + ": it could not be stored (" + cause(row, ex)
						+ "); the rows before it are in, send the rest again");
			}
			tally.add(imported);
		}
	}

	/**
	 * Why a row could not be stored, for the report: rows before it are in, so the answer must
	 * be the report rather than a failure that would have the client send them all again.
	 */
	private static String cause(long row, RuntimeException ex) {
		if (RunAgain.lostALock(ex)) {
			log.warn("CSV import stopped at row {}: the lead was held by other changes on every attempt", row);
			return "other changes to the same lead held it on every attempt";
		}
		if (ex instanceof DataAccessResourceFailureException || ex instanceof CannotCreateTransactionException) {
			log.warn("CSV import stopped at row {}: the database cannot be reached ({})", row, ex.getMessage());
			return "the database cannot be reached";
		}
		log.error("CSV import stopped at row {}", row, ex);
		return "the server failed";
	}

	private ImportReport.Row importRow(long row, CSVRecord record, Map<String, String> columns) {
		if (!record.isConsistent()) {
			return rejected(row, List.of(new FieldError("row",
					"has " + record.size() + " fields where the header has " + record.getParser().getHeaderNames().size())));
		}
		Map<String, String> values = new java.util.HashMap<>();
		columns.forEach((header, field) -> values.put(field, record.get(header)));
		List<FieldError> errors = new ArrayList<>();
		LeadRequest request = new LeadRequest(values.get("email"), values.get("phone"), values.get("firstName"),
				values.get("lastName"), values.get("company"), values.get("title"), values.get("industry"),
				values.get("companySize"), values.get("country"), values.get("timeZone"), values.get("source"),
				values.get("campaign"), interests(values.get("interests")),
				new LeadRequest.Consent(flag("consentEmail", values.get("consentEmail"), errors),
						flag("consentSms", values.get("consentSms"), errors)));
		try {
			NewLead lead = this.validator.validate(request);
			if (!errors.isEmpty()) {
				return rejected(row, errors);
			}
			IntakeResult result = this.intake.submitImported(lead, "csv");
			var status = switch (result.outcome()) {
				case CREATED -> ImportReport.Status.CREATED;
				case DUPLICATE -> ImportReport.Status.DUPLICATE;
				case UNCHANGED -> ImportReport.Status.UNCHANGED;
			};
			return new ImportReport.Row(row, status, result.lead().id(), List.of());
		}
		catch (InvalidLeadException ex) {
			errors.addAll(ex.errors());
			return rejected(row, errors);
		}
	}

	/** The report of a file that could not be read past row {@code row}. */
	private static ImportReport stopped(Tally tally, long row, RuntimeException ex) {
		Optional<UndecodableTextException> undecodable = undecodable(ex);
		if (undecodable.isEmpty()) {
			return tally.report("Reading stopped after row " + row + ": the CSV is malformed there ("
					+ ex.getMessage() + ")");
		}
		if (!tally.storedAny()) {
			throw notText(undecodable.get());
		}
		return tally.report("Reading stopped after row " + row + ": " + undecodable.get().getMessage()
				+ "; the rows before it are in: " + SAVE_AS_UTF8 + " and send the rest again");
	}

	/** The reader under the parser found them; the parser may hand them on wrapped. */
	private static Optional<UndecodableTextException> undecodable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof UndecodableTextException undecodable) {
				return Optional.of(undecodable);
			}
		}
		return Optional.empty();
	}

	/** Refused whole while nothing is stored: the file can simply come again, saved as it should be. */
	private static InvalidImportException notText(UndecodableTextException ex) {
		String problem = ex.getMessage();
		return new InvalidImportException(Character.toUpperCase(problem.charAt(0)) + problem.substring(1) + ": "
				+ SAVE_AS_UTF8 + " and send it again; nothing was imported");
	}

	private static Map<String, String> columns(List<String> headers) {
		if (headers.isEmpty()) {
			throw new InvalidImportException("The file has no header row; expected columns: " + COLUMNS);
		}
		Map<String, String> columns = new java.util.LinkedHashMap<>();
		Set<String> unknown = new TreeSet<>();
		for (String header : headers) {
			String field = COLUMN_BY_KEY.get(key(header));
			if (field == null) {
				unknown.add(header);
			}
			else if (columns.containsValue(field)) {
				throw new InvalidImportException("The header names " + field + " twice");
			}
			else {
				columns.put(header, field);
			}
		}
		if (!unknown.isEmpty()) {
			throw new InvalidImportException("Unknown columns " + unknown + "; known columns: " + COLUMNS);
		}
		if (!columns.containsValue("email")) {
			throw new InvalidImportException("The header has no email column");
		}
		return columns;
	}

	private static List<String> interests(String value) {
		if (value == null || value.isBlank()) {
			return List.of();
		}
		return Arrays.stream(value.split("[;|]")).map(String::trim).filter((s) -> !s.isEmpty()).toList();
	}

	private static Boolean flag(String field, String value, List<FieldError> errors) {
		String answer = (value != null) ? value.trim().toLowerCase(Locale.ROOT) : "";
		if (YES.contains(answer)) {
			return true;
		}
		if (!NO.contains(answer)) {
			errors.add(new FieldError(field, "must be true or false (yes/no, 1/0)"));
		}
		return false;
	}

	private static ImportReport.Row rejected(long row, List<FieldError> errors) {
		return new ImportReport.Row(row, ImportReport.Status.REJECTED, null, List.copyOf(errors));
	}

	private static Reader withoutByteOrderMark(Reader source) throws IOException {
		PushbackReader reader = new PushbackReader(source, 1);
		int first = reader.read();
		if (first != -1 && first != BYTE_ORDER_MARK) {
			reader.unread(first);
		}
		return reader;
	}

	private static String key(String header) {
		return header.replaceAll("[\\s_\\-]", "").toLowerCase(Locale.ROOT);
	}

	private static final class Tally {

		private final List<ImportReport.Row> rows = new ArrayList<>();

		private int created;

		private int duplicates;

		private int unchanged;

		private int rejected;

		/** Whether a row has changed anything: a lead created, or a re-conversion recorded. */
		boolean storedAny() {
			return this.created + this.duplicates > 0;
		}

		void add(ImportReport.Row row) {
			this.rows.add(row);
			switch (row.status()) {
				case CREATED -> this.created++;
				case DUPLICATE -> this.duplicates++;
				case UNCHANGED -> this.unchanged++;
				case REJECTED -> this.rejected++;
			}
		}

		ImportReport report(String error) {
			return new ImportReport(this.created, this.duplicates, this.unchanged, this.rejected,
					List.copyOf(this.rows), error);
		}

	}

}
