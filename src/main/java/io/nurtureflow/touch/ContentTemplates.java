package io.nurtureflow.touch;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.nurtureflow.lead.Lead;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * The content pieces under {@code content/<piece>/}, one file per part ({@code subject},
 * {@code text}, {@code html}, {@code sms}, each {@code .mustache}), personalised with the lead's
 * fields. A piece may carry variants in sub-folders, {@code industry-<industry>/} and
 * {@code interest-<interest>/}, holding any of the parts; for each part the lead's industry
 * variant wins, then the first of its interests that has one, then the default. A field the lead
 * left empty renders as nothing, never as "null".
 */
@Component
public class ContentTemplates {

	/** The parts of a content piece. */
	public enum Part {

		SUBJECT, TEXT, HTML, SMS;

		String file() {
			return name().toLowerCase(Locale.ROOT) + ".mustache";
		}

	}

	private static final Optional<Template> MISSING = Optional.empty();

	private final Mustache.Compiler plain = Mustache.compiler().escapeHTML(false).defaultValue("").nullValue("");

	private final Mustache.Compiler html = Mustache.compiler().escapeHTML(true).defaultValue("").nullValue("");

	private final Map<String, Optional<Template>> cache = new ConcurrentHashMap<>();

	/** Renders one part for the lead, or nothing when the piece has no such part. */
	public Optional<String> render(String piece, Part part, Lead lead) {
		return render(piece, part, lead, Map.of());
	}

	/**
	 * As {@link #render(String, Part, Lead)}, with fields of the message's own besides the lead's
	 * (a link only this message carries).
	 */
	public Optional<String> render(String piece, Part part, Lead lead, Map<String, String> own) {
		if (!piece.matches("[a-z0-9][a-z0-9-]*")) {
			throw new IllegalArgumentException("Content piece names are lower-case words and dashes: " + piece);
		}
		Map<String, Object> fields = fields(lead);
		fields.putAll(own);
		for (String folder : folders(piece, lead)) {
			Optional<Template> template = template(folder + part.file(), part);
			if (template.isPresent()) {
				String text = template.get().execute(fields);
				return Optional.of((part == Part.SUBJECT) ? text.strip() : text);
			}
		}
		return Optional.empty();
	}

	private static List<String> folders(String piece, Lead lead) {
		String base = "content/" + piece + "/";
		List<String> folders = new ArrayList<>();
		if (lead.industry() != null) {
			folders.add(base + "industry-" + slug(lead.industry()) + "/");
		}
		lead.interests().forEach((interest) -> folders.add(base + "interest-" + slug(interest) + "/"));
		folders.add(base);
		return folders;
	}

	private Optional<Template> template(String path, Part part) {
		return this.cache.computeIfAbsent(path, (p) -> {
			Resource resource = new ClassPathResource(p);
			if (!resource.exists()) {
				return MISSING;
			}
			try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
				return Optional.of(((part == Part.HTML) ? this.html : this.plain).compile(reader));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	static String slug(String text) {
		return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
	}

	/** The lead's own words a template may show: whatever the lead chose to type into its details. */
	public static List<String> typedByTheLead(Lead lead) {
		return fields(lead).values().stream().filter(Objects::nonNull).map(String::valueOf).toList();
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
