package io.nurtureflow.insights;

/** A report was asked for something it cannot answer: a period that ends before it starts, an unknown grouping. */
public class InvalidReportRequestException extends RuntimeException {

	public InvalidReportRequestException(String message) {
		super(message);
	}

}
