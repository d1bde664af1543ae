package io.nurtureflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.nurtureflow.support.Api;

/**
 * A designer deploying a diagram through the engine's REST API ({@code /engine-rest/deployment/create})
 * with duplicate filtering, as the README shows with curl.
 */
final class RestDeployment {

	private final HttpClient http = HttpClient.newHttpClient();

	private final String user;

	private final String password;

	RestDeployment(String user, String password) {
		this.user = user;
		this.password = password;
	}

	/** A one-task process, in a form the engine accepts. */
	static String process(String key) {
		return """
				<?xml version="1.0" encoding="UTF-8"?>
				<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
				    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_%1$s" targetNamespace="http://nurtureflow.io/test">
				  <bpmn:process id="%1$s" isExecutable="true" camunda:historyTimeToLive="P1D">
				    <bpmn:startEvent id="StartEvent_1" />
				  </bpmn:process>
				</bpmn:definitions>
				""".formatted(key);
	}

	/** Deploys {@code bpmn} under {@code name} on the node at {@code port}; returns the HTTP status. */
	int deploy(int port, String name, String bpmn) {
		String boundary = "----nurtureflow" + UUID.randomUUID();
		String body = field(boundary, "deployment-name", name) + field(boundary, "enable-duplicate-filtering", "true")
				+ field(boundary, "deploy-changed-only", "true") + "--" + boundary + "\r\n"
				+ "Content-Disposition: form-data; name=\"data\"; filename=\"" + name + ".bpmn\"\r\n"
				+ "Content-Type: application/xml\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/engine-rest/deployment/create"))
			.header("Authorization", Api.basic(this.user, this.password))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String field(String boundary, String name, String value) {
		return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
	}

}
