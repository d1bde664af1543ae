package io.nurtureflow.tracking;

import java.net.URI;
import java.util.Locale;
import java.util.UUID;

import io.nurtureflow.tracking.TrackingTokens.Claim;
import io.nurtureflow.tracking.TrackingTokens.Purpose;

import org.springframework.stereotype.Component;

/** Builds the signed links a message carries. */
@Component
public class TrackingLinks {

	private final TrackingTokens tokens;

	private final String base;

	TrackingLinks(TrackingTokens tokens, TrackingProperties properties) {
		this.tokens = tokens;
		this.base = properties.publicUrl().toString().replaceAll("/+$", "");
	}

	/** A link that records the click and then leads to {@code target}; other schemes stay as they are. */
	public String click(long touchId, UUID leadId, String target) {
		if (!isWebUrl(target)) {
			return target;
		}
		return this.base + "/t/c/" + this.tokens.sign(new Claim(Purpose.CLICK, touchId, leadId, target));
	}

	public String openPixel(long touchId, UUID leadId) {
		return this.base + "/t/o/" + this.tokens.sign(new Claim(Purpose.OPEN, touchId, leadId, null));
	}

	public String unsubscribe(long touchId, UUID leadId) {
		return this.base + "/t/u/" + this.tokens.sign(new Claim(Purpose.UNSUBSCRIBE, touchId, leadId, null));
	}

	/** The link that confirms the lead's request {@code id} to get email again. */
	public String resubscribe(long id, UUID leadId) {
		return this.base + "/t/r/" + this.tokens.sign(new Claim(Purpose.RESUBSCRIBE, id, leadId, null));
	}

	public String publicUrl(String path) {
		return this.base + path;
	}

	static boolean isWebUrl(String url) {
		// a click token signed without a URL reads back without one
		if (url == null) {
			return false;
		}
		try {
			URI uri = URI.create(url.trim());
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
