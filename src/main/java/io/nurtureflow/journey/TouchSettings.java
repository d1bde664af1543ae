package io.nurtureflow.journey;

import org.springframework.stereotype.Component;

/** {@code ${touchSettings}} in the diagrams: the sending steps' settings as bean properties. */
@Component("touchSettings")
public class TouchSettings {

	private final TouchProperties properties;

	TouchSettings(TouchProperties properties) {
		this.properties = properties;
	}

	public String getRetryCycle() {
		return this.properties.retryCycle();
	}

}
