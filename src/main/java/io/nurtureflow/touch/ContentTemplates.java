package io.nurtureflow.touch;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.nurtureflow.lead.Lead;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * The content pieces under {@code content/<piece>/}: {@code subject.mustache} and
 * {@code text.mustache}, personalised with the lead's fields. A field the lead left empty
 * renders as nothing, never as "null"; {@code {{#firstName}}Hi {{firstName}}{{/firstName}}}
 * reads well either way.
 */
@Component
class ContentTemplates {

	private final Mustache.Compiler compiler = Mustache.compiler().escapeHTML(false).defaultValue("").nullValue("");

	private final Map<String, Template> cache = new ConcurrentHashMap<>();

	RenderedMessage render(String piece, Lead lead) {
		Map<String, Object> fields = fields(lead);
		return new RenderedMessage(template(piece, "subject").execute(fields).strip(),
				template(piece, "text").execute(fields));
	}

	private Template template(String piece, String part) {
		return this.cache.computeIfAbsent(piece + "/" + part, (path) -> {
			Resource resource = new ClassPathResource("content/" + path + ".mustache");
			if (!resource.exists()) {
				throw new IllegalStateException("Content piece '" + piece + "' has no " + part + ".mustache");
			}
			try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
				return this.compiler.compile(reader);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	private static Map<String, Object> fields(Lead lead) {
		Map<String, Object> fields = new HashMap<>();
		fields.put("firstName", lead.firstName());
		fields.put("lastName", lead.lastName());
		fields.put("name", lead.displayName());
		fields.put("company", lead.company());
		fields.put("title", lead.title());
		fields.put("industry", lead.industry());
		fields.put("email", lead.email());
		return fields;
	}

}
