package io.nurtureflow.channel.email;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/** What an email that arrived at GreenMail says. */
final class Mails {

	private Mails() {
	}

	/** The text of the email's part of that type ({@code text/plain}, {@code text/html}), however nested. */
	static String part(MimeMessage mail, String type) throws Exception {
		String found = part((Multipart) mail.getContent(), type);
		if (found == null) {
			throw new AssertionError("No " + type + " part");
		}
		return found;
	}

	private static String part(Multipart multipart, String type) throws Exception {
		for (int i = 0; i < multipart.getCount(); i++) {
			var body = multipart.getBodyPart(i);
			if (body.isMimeType(type)) {
				return (String) body.getContent();
			}
			if (body.getContent() instanceof Multipart nested && part(nested, type) != null) {
				return part(nested, type);
			}
		}
		return null;
	}

}
