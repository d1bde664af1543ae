package io.nurtureflow.insights;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A report table as CSV: a header from the row type's components, then a line per row. Text a
 * spreadsheet would take for a formula (a lead's source {@code =HYPERLINK(...)}, a reply starting
 * with {@code @}) is written with a leading apostrophe, so that opening the file runs nothing.
 */
final class CsvTable {

	/** What starts a formula in Excel, LibreOffice and Google Sheets. */
	private static final String FORMULA_STARTS = "=+-@\t\r";

	private CsvTable() {
	}

	static Object cell(Object value) {
		if (value instanceof CharSequence text && !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0) {
			return "'" + text;
		}
		return value;
	}

	static <T extends Record> ResponseEntity<String> of(String name, Class<T> type, List<T> rows) {
		RecordComponent[] columns = type.getRecordComponents();
		StringWriter out = new StringWriter();
		try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
			.setHeader(Arrays.stream(columns).map(RecordComponent::getName).toArray(String[]::new))
			.get())) {
			for (T row : rows) {
				for (RecordComponent column : columns) {
					printer.print(cell(column.getAccessor().invoke(row)));
				}
				printer.println();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Record accessors are public", ex);
		}
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"")
			.body(out.toString());
	}

}
