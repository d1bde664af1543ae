package io.nurtureflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A browser-like session with Camunda's webapps: cookies kept, and the CSRF token the webapps
 * hand out in a cookie sent back in {@code X-XSRF-TOKEN}, as their own pages do.
 */
public final class WebappSession {

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(this.cookies).build();

	private final String base;

	public WebappSession(int port) {
		this.base = "http://localhost:" + port;
	}

	/** Logs in to one webapp ({@code tasklist}, {@code cockpit} or {@code admin}) and returns the status. */
	public int login(String user, String password, String app) {
		send(HttpRequest.newBuilder(URI.create(this.base + "/camunda/app/" + app + "/default/")).GET());
		String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(password, StandardCharsets.UTF_8);
		int status = send(HttpRequest.newBuilder(URI.create(this.base + "/camunda/api/admin/auth/user/default/login/" + app))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-XSRF-TOKEN", csrfToken())
			.POST(HttpRequest.BodyPublishers.ofString(form))).statusCode();
		// as the page does next: the signed-in session's first read hands out its own CSRF token
		get("/camunda/api/admin/auth/user/default");
		return status;
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).header("X-XSRF-TOKEN", csrfToken()).GET());
	}

	/** A change as the webapps' pages send it: JSON, with the CSRF token (an empty body when null). */
	public HttpResponse<String> send(String method, String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("X-XSRF-TOKEN", csrfToken())
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString((json != null) ? json : "")));
	}

	private String csrfToken() {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse("");
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
