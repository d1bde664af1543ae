package io.nurtureflow.lead;

import java.util.List;
import java.util.UUID;

/**
 * What a CSV import did, row by row. Rows count from 1 at the first data row after the header.
 *
 * @param error why reading stopped before the end of the file, if it did
 */
public record ImportReport(int created, int duplicates, int unchanged, int rejected, List<Row> rows, String error) {

	public enum Status {

		CREATED, DUPLICATE,

		/** A known lead's row that repeats an upload: nothing changed, no re-conversion. */
		UNCHANGED,

		REJECTED

	}

	public record Row(long row, Status status, UUID leadId, List<FieldError> errors) {
	}

}
