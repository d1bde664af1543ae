package io.nurtureflow.lead;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Head-count bands, as lead forms ask for them and as the fit decision reads them. */
public enum CompanySize {

	MICRO("1-10"), SMALL("11-50"), MEDIUM("51-200"), MIDSIZE("201-500"), LARGE("501-1000"), ENTERPRISE("1001-5000"),
	GLOBAL("5001+");

	private final String label;

	CompanySize(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

	static Optional<CompanySize> fromLabel(String label) {
		return Arrays.stream(values()).filter((size) -> size.label.equals(label)).findFirst();
	}

	static List<String> labels() {
		return Arrays.stream(values()).map(CompanySize::label).toList();
	}

}
