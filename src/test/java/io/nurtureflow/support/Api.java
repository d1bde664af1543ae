package io.nurtureflow.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Real HTTP against the server under test, the way a client would call it. */
public final class Api {

	public static final String API_KEY = "test-api-key";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String base;

	public Api(int port) {
		this.base = "http://localhost:" + port;
	}

	public Response postJson(String path, String body, String... headers) {
		return send(request(path, headers).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	public Response postCsv(String path, String body) {
		return send(request(path).header("Content-Type", "text/csv")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
	}

	public Response postCsv(String path, Supplier<InputStream> body) {
		return send(request(path).header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofInputStream(body)));
	}

	public Response get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	/** A request with the test API key, unless the headers bring their own credentials. */
	public HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path));
		boolean ownCredentials = false;
		for (int i = 0; i < headers.length; i += 2) {
			if (headers[i + 1] != null) {
				builder.header(headers[i], headers[i + 1]);
			}
			ownCredentials |= headers[i].equalsIgnoreCase("X-Api-Key") || headers[i].equalsIgnoreCase("Authorization");
		}
		if (!ownCredentials) {
			builder.header("X-Api-Key", API_KEY);
		}
		return builder;
	}

	public Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/** A response with its body read as JSON when it is JSON. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String body() {
			return this.raw.body();
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		public JsonNode json() {
			try {
				return JSON.readTree(this.raw.body());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Not JSON: " + this.raw.body(), ex);
			}
		}

	}

}
