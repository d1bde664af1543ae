package io.nurtureflow.lead;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.nurtureflow.support.NurtureflowTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@NurtureflowTest
class LeadCsvImportOnH2Test extends LeadCsvImportScenarios {

	private static final int ROWS = 10_000;

	@Test
	void tenThousandRowsAreImportedAsTheyStreamIn() {
		String batch = UUID.randomUUID().toString().substring(0, 8);

		JsonNode report = this.api.postCsv("/api/leads/import", () -> generated(batch)).json();

		assertThat(report.get("created").asInt()).isEqualTo(ROWS);
		assertThat(report.get("rejected").asInt()).isZero();
		assertThat(report.get("rows")).hasSize(ROWS);
		assertThat(this.jdbc.sql("select count(*) from lead where email like ?")
			.param("bulk-" + batch + "-%")
			.query(Long.class)
			.single()).isEqualTo(ROWS);
		assertThat(this.runtime.createProcessInstanceQuery()
			.processInstanceBusinessKey(report.get("rows").get(ROWS - 1).get("leadId").asText())
			.count()).isOne();
	}

	/** The file is generated while it is sent, so neither side ever holds it whole. */
	private static InputStream generated(String batch) {
		Enumeration<InputStream> parts = new Enumeration<>() {

			private int row = -1;

			@Override
			public boolean hasMoreElements() {
				return this.row < ROWS;
			}

			@Override
			public InputStream nextElement() {
				String line = (this.row < 0) ? "email,firstName,company,country\n"
						: "bulk-" + batch + "-" + this.row + "@example.com,Lead " + this.row + ",Company " + this.row
								+ ",GB\n";
				this.row++;
				return new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8));
			}

		};
		return new SequenceInputStream(parts);
	}

}
