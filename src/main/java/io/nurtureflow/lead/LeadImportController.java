package io.nurtureflow.lead;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
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
		Charset charset = charset(request.getContentType());
		try (var reader = new StrictTextReader(request.getInputStream(), charset)) {
			return this.csvImport.importLeads(reader);
		}
	}

	/**
	 * The charset the client names, else UTF-8. Read from the header itself: the servlet's
	 * character encoding is UTF-8 whatever the client says, as Spring Boot forces it on requests.
	 * (A charset Java does not know never gets here: the type does not parse, and the request is
	 * refused as an unsupported media type.)
	 */
	private static Charset charset(String contentType) {
		Charset named = MediaType.parseMediaType(contentType).getCharset();
		return (named != null) ? named : StandardCharsets.UTF_8;
	}

}
