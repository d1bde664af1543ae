package io.nurtureflow.lead;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** CSV import of leads: the body is read as it arrives, never held whole. */
@RestController
class LeadImportController {

	private final LeadCsvImport csvImport;

	LeadImportController(LeadCsvImport csvImport) {
		this.csvImport = csvImport;
	}

	@PostMapping(path = "/api/leads/import", consumes = "text/csv")
	ImportReport importCsv(HttpServletRequest request) throws IOException {
		Charset charset = charset(request.getCharacterEncoding());
		try (var reader = new InputStreamReader(request.getInputStream(), charset)) {
			return this.csvImport.importLeads(reader);
		}
	}

	private static Charset charset(String name) {
		if (name == null) {
			return StandardCharsets.UTF_8;
		}
		try {
			return Charset.forName(name);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidImportException("Unknown charset " + name + "; send UTF-8");
		}
	}

}
