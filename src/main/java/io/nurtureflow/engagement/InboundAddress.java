package io.nurtureflow.engagement;

import java.util.Locale;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** The bare address in a From header such as {@code "Ada Lovelace" <ada@example.com>}. */
final class InboundAddress {

	private InboundAddress() {
	}

	static String of(String from) {
		try {
			return new InternetAddress(from, false).getAddress().trim().toLowerCase(Locale.ROOT);
		}
		catch (AddressException ex) {
			return null;
		}
	}

}
