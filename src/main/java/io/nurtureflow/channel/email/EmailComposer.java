package io.nurtureflow.channel.email;

import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.touch.ComposedMessage;
import io.nurtureflow.touch.ContentTemplates;
import io.nurtureflow.touch.ContentTemplates.Part;
import io.nurtureflow.tracking.TrackingLinks;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import org.springframework.stereotype.Component;

/**
 * Turns a content piece into an email for one lead: subject, plain text and HTML; links through
 * the click tracker, an open pixel, a visible unsubscribe link and the RFC 8058 one-click
 * unsubscribe headers.
 */
@Component
class EmailComposer {

	static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";

	static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";

	private static final Pattern TEXT_URL = Pattern.compile("https?://[^\\s<>\"')]+");

	private final ContentTemplates templates;

	private final TrackingLinks links;

	EmailComposer(ContentTemplates templates, TrackingLinks links) {
		this.templates = templates;
		this.links = links;
	}

	ComposedMessage compose(long touchId, Lead lead, String content) {
		String subject = required(content, Part.SUBJECT, lead);
		String unsubscribe = this.links.unsubscribe(touchId, lead.id());
		String text = trackedText(required(content, Part.TEXT, lead), touchId, lead) + "\n\n--\nUnsubscribe: "
				+ unsubscribe + "\n";
		String html = this.templates.render(content, Part.HTML, lead)
			.map((body) -> trackedHtml(body, touchId, lead, unsubscribe))
			.orElse(null);
		return new ComposedMessage(lead.email(), subject, text, html, Map.of(LIST_UNSUBSCRIBE, "<" + unsubscribe + ">",
				LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click"));
	}

	/**
	 * The text with the piece's links through the click tracker. A URL the lead typed into its own
	 * details (a company of {@code https://...}) stays as it is: signed, it would be a redirect
	 * through our domain to wherever the lead likes, for anyone the lead passes the link on to.
	 */
	private String trackedText(String text, long touchId, Lead lead) {
		List<String> typed = ContentTemplates.typedByTheLead(lead)
			.stream()
			.flatMap((value) -> TEXT_URL.matcher(value).results().map(MatchResult::group))
			.toList();
		Matcher urls = TEXT_URL.matcher(text);
		StringBuilder out = new StringBuilder();
		while (urls.find()) {
			String url = urls.group();
			boolean typedByTheLead = typed.stream().anyMatch(url::startsWith);
			urls.appendReplacement(out,
					Matcher.quoteReplacement(typedByTheLead ? url : this.links.click(touchId, lead.id(), url)));
		}
		urls.appendTail(out);
		return out.toString();
	}

	private String trackedHtml(String html, long touchId, Lead lead, String unsubscribe) {
		Document document = Jsoup.parse(html);
		for (Element link : document.select("a[href]")) {
			link.attr("href", this.links.click(touchId, lead.id(), link.attr("href")));
		}
		document.body()
			.appendElement("p")
			.attr("style", "font-size: 12px; color: #6b7280;")
			.appendText("Not interested any more? ")
			.appendElement("a")
			.attr("href", unsubscribe)
			.text("Unsubscribe");
		document.body()
			.appendElement("img")
			.attr("src", this.links.openPixel(touchId, lead.id()))
			.attr("width", "1")
			.attr("height", "1")
			.attr("alt", "");
		return document.outerHtml();
	}

	private String required(String content, Part part, Lead lead) {
		return this.templates.render(content, part, lead)
			.orElseThrow(() -> new IllegalStateException(
					"Content piece '" + content + "' has no " + part.name().toLowerCase() + ".mustache"));
	}

}
