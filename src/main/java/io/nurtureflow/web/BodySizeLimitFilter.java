package io.nurtureflow.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over their endpoint's limit with 413 before anything reads them: a
 * declared {@code Content-Length} over the limit is answered at once, and a chunked body (which
 * declares no length) is counted as it is read and stopped at the limit with a
 * {@link BodyTooLargeException}. Public webhooks must declare their length, since the servlet
 * container parses their form bodies itself, past any counting.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

	static final String IMPORT_PATH = "/api/leads/import";

	static final String INBOUND_EMAIL_PATH = "/api/inbound/email";

	/** A form body on a path with no limit of its own (Camunda's webapps): the servlet container's default. */
	static final long OTHER_FORM_BODY = DataSize.ofMegabytes(2).toBytes();

	private final LimitsProperties limits;

	BodySizeLimitFilter(LimitsProperties limits) {
		this.limits = limits;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = path(request);
		boolean form = isForm(request);
		long limit = limitFor(path);
		if (limit < 0 && form) {
			// the container's own limit on form bodies is the inbound email's, the largest form
			// endpoint's; every other form keeps the container's default
			limit = OTHER_FORM_BODY;
		}
		if (limit < 0) {
			chain.doFilter(request, response);
			return;
		}
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			// the body stays unread; closing spares the server from swallowing it
			response.setHeader(HttpHeaders.CONNECTION, "close");
			FilterProblems.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large",
					"The request body has " + declared + " bytes; this endpoint accepts at most " + describe(limit),
					Map.of("maxBytes", limit));
			return;
		}
		if (declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			if (path.startsWith("/webhooks/") || form) {
				response.setHeader(HttpHeaders.CONNECTION, "close");
				FilterProblems.write(response, HttpStatus.LENGTH_REQUIRED, "length-required",
						path.startsWith("/webhooks/") ? "Webhook requests must declare their Content-Length"
								: "Form bodies must declare their Content-Length",
						Map.of("maxBytes", limit));
				return;
			}
			chain.doFilter(new LimitedRequest(request, limit), response);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * A form body ({@code application/x-www-form-urlencoded}), which the servlet container parses
	 * itself, past any counting: its length must be declared.
	 */
	private static boolean isForm(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
	}

	/** The largest body the path takes, or -1 when this filter leaves the path alone. */
	long limitFor(String path) {
		if (path.equals(IMPORT_PATH)) {
			return this.limits.csvBody().toBytes();
		}
		if (path.equals(INBOUND_EMAIL_PATH)) {
			return this.limits.inboundBody().toBytes();
		}
		if (path.startsWith("/api/")) {
			return this.limits.jsonBody().toBytes();
		}
		if (path.startsWith("/t/") || path.startsWith("/webhooks/")) {
			return this.limits.publicBody().toBytes();
		}
		return -1;
	}

	/** The path as the servlet container decoded and normalised it, which is what the handlers see. */
	static String path(HttpServletRequest request) {
		String servletPath = request.getServletPath();
		String pathInfo = request.getPathInfo();
		String path = ((servletPath != null) ? servletPath : "") + ((pathInfo != null) ? pathInfo : "");
		return path.isEmpty() ? request.getRequestURI().substring(request.getContextPath().length()) : path;
	}

	static String describe(long bytes) {
		if (bytes >= DataSize.ofMegabytes(1).toBytes() && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return DataSize.ofBytes(bytes).toMegabytes() + "MB";
		}
		if (bytes >= DataSize.ofKilobytes(1).toBytes() && bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
			return DataSize.ofBytes(bytes).toKilobytes() + "KB";
		}
		return bytes + " bytes";
	}

	/** A request whose body stops with {@link BodyTooLargeException} once it passes the limit. */
	static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			Charset charset;
			try {
				charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
			}
			catch (IllegalArgumentException ex) {
				throw new UnsupportedEncodingException(encoding);
			}
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

	static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream body;

		private final long limit;

		private long count;

		LimitedInputStream(ServletInputStream body, long limit) {
			this.body = body;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.body.read();
			if (b >= 0) {
				counted(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.body.read(buffer, offset, length);
			if (n > 0) {
				counted(n);
			}
			return n;
		}

		@Override
		public boolean isFinished() {
			return this.body.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.body.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.body.setReadListener(listener);
		}

		@Override
		public void close() throws IOException {
			this.body.close();
		}

		private void counted(int n) throws BodyTooLargeException {
			this.count += n;
			if (this.count > this.limit) {
				throw new BodyTooLargeException(this.limit);
			}
		}

	}

}
