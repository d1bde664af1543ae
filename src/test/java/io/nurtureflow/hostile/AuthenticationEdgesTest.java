package io.nurtureflow.hostile;

import java.util.UUID;

import io.nurtureflow.support.NurtureflowTest;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint but the public tracking links, webhooks and the health probe needs a login,
 * however the path is spelled: dot segments, encoded dots and path parameters are resolved by
 * the server before it serves a path, so the checks must see the same path it serves.
 */
@NurtureflowTest
class AuthenticationEdgesTest {

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identity;

	@Test
	void aDotSegmentAfterThePublicHealthProbeDoesNotOpenTheRestOfActuator() {
		for (String path : new String[] { "/actuator/health/../prometheus", "/actuator/health/%2e%2e/prometheus",
				"/actuator/health/.%2e/metrics", "/actuator/health/..;/prometheus", "/actuator/health;x=y/../prometheus",
				"/actuator/health/liveness/../../metrics", "/actuator//health/../prometheus" }) {
			RawHttp.Response answer = get(path);
			assertThat(answer.status()).as(path).isIn(400, 401);
			assertThat(answer.body()).as(path).doesNotContain("jvm_memory").doesNotContain("\"names\"");
		}
		assertThat(get("/actuator/health").status()).isEqualTo(200);
		assertThat(get("/actuator/health/liveness").status()).isEqualTo(200);
	}

	@Test
	void everyApiAndInsightsPathNeedsALoginHoweverItIsSpelled() {
		String lead = UUID.randomUUID().toString();
		for (String path : new String[] { "/api/leads/" + lead, "/api/leads?email=a@b.co", "/api/suppressions",
				"/api/leads/" + lead + "/score", "/%61pi/suppressions", "/api/./suppressions", "/t/../api/suppressions",
				"/webhooks/../api/suppressions", "/api;x=1/suppressions", "/actuator/metrics", "/actuator/info",
				"/insights/api/funnel", "/insights/api/../api/funnel", "/%69nsights/api/funnel" }) {
			RawHttp.Response answer = get(path);
			assertThat(answer.status()).as(path).isIn(400, 401);
			assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
		}
	}

	@Test
	void theSetupPageStaysClosedUnderAnySpelling() {
		String intruder = "intruder" + UUID.randomUUID().toString().substring(0, 8);
		String body = "{\"profile\":{\"id\":\"" + intruder + "\"},\"credentials\":{\"password\":\"x\"}}";
		for (String path : new String[] { "/camunda/api/admin/setup/default/user/create",
				"/camunda/api/admin/%73etup/default/user/create", "/camunda/api/admin/x/../setup/default/user/create",
				"/camunda/api/admin/setup;x=y/default/user/create", "/camunda//api/admin/setup/default/user/create" }) {
			RawHttp.Response answer = RawHttp.send(this.port, """
					POST %s HTTP/1.1\r
					Host: localhost\r
					Content-Type: application/json\r
					Content-Length: %d\r
					Connection: close""".formatted(path, body.length()), body.getBytes());
			assertThat(answer.status()).as(path).isIn(400, 403, 404);
		}
		assertThat(this.identity.createUserQuery().userId(intruder).count()).isZero();
	}

	private RawHttp.Response get(String path) {
		return RawHttp.send(this.port, """
				GET %s HTTP/1.1\r
				Host: localhost\r
				Connection: close""".formatted(path));
	}

}
