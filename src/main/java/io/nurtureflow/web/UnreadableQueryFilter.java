package io.nurtureflow.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request to {@code /api} whose query string is not percent-encoded UTF-8 ({@code %zz},
 * a {@code %} at its end, bytes that are no UTF-8). Tomcat leaves such a parameter out and goes
 * on, so the endpoint saw no parameter at all and took its default: a churn or disqualification
 * whose reason was unreadable was recorded, with the reason "churned" or "disqualified".
 */
class UnreadableQueryFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query != null && !readable(query)) {
			FilterProblems.write(response, HttpStatus.BAD_REQUEST, "invalid-parameter",
					"The query string is not percent-encoded UTF-8", Map.of());
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean readable(String query) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.length());
		for (int i = 0; i < query.length(); i++) {
			char c = query.charAt(i);
			if (c != '%') {
				bytes.write(c);
				continue;
			}
			if (i + 2 >= query.length() || !HexFormat.isHexDigit(query.charAt(i + 1))
					|| !HexFormat.isHexDigit(query.charAt(i + 2))) {
				return false;
			}
			bytes.write(HexFormat.fromHexDigits(query, i + 1, i + 3));
			i += 2;
		}
		try {
			StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray()));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
