package io.nurtureflow.touch;

/** The provider refused a message for good (invalid number, hard bounce): no retry helps. */
public class PermanentSendFailure extends RuntimeException {

	public PermanentSendFailure(String message, Throwable cause) {
		super(message, cause);
	}

}
