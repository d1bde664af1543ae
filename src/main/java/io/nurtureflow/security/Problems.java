package io.nurtureflow.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** RFC 7807 answers written by filters, which run before Spring MVC's problem handling. */
final class Problems {

	private Problems() {
	}

	static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"https://nurtureflow.io/problems/" + slug(status) + "\",\"title\":\""
					+ status.getReasonPhrase() + "\",\"status\":" + status.value() + ",\"detail\":\"" + escape(detail)
					+ "\"}");
	}

	private static String slug(HttpStatus status) {
		return status.getReasonPhrase().toLowerCase().replace(' ', '-');
	}

	private static String escape(String text) {
		StringBuilder out = new StringBuilder();
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}

}
