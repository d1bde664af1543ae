package io.nurtureflow.insights;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored text in a report's CSV never becomes a formula in the manager's spreadsheet. */
class CsvTableTest {

	record Row(String source, long leads, double change) {
	}

	@Test
	void textThatWouldStartAFormulaIsWrittenAsTextAndNumbersStayNumbers() {
		var csv = CsvTable.of("by-source", Row.class,
				List.of(new Row("=HYPERLINK(\"https://evil.example\",\"open\")", 3, -0.5), new Row("+1 202", 1, 0),
						new Row("-2+3", 1, 0), new Row("@SUM(A1)", 1, 0), new Row("\tcmd", 1, 0),
						new Row("webinar", 2, 1.5)));

		assertThat(csv.getBody()).isEqualTo("""
				source,leads,change\r
				"'=HYPERLINK(""https://evil.example"",""open"")",3,-0.5\r
				'+1 202,1,0.0\r
				'-2+3,1,0.0\r
				'@SUM(A1),1,0.0\r
				'\tcmd,1,0.0\r
				webinar,2,1.5\r
				""");
	}

}
