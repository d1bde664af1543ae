package io.nurtureflow.lead;

/** A CSV file that cannot be imported at all, such as one whose header names unknown columns. */
public class InvalidImportException extends RuntimeException {

	public InvalidImportException(String message) {
		super(message);
	}

}
