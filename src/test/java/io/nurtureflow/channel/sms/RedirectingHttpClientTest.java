package io.nurtureflow.channel.sms;

import java.net.URI;
import java.util.List;

import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the SDK is aimed at another base URL: only the host part changes, nothing else is lost. */
class RedirectingHttpClientTest {

	private final RedirectingHttpClient client = new RedirectingHttpClient(URI.create("http://localhost:8089/"));

	@Test
	void everyTwilioApiHostGoesToTheBaseUrl() {
		assertThat(this.client.rewrite("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"))
			.isEqualTo("http://localhost:8089/2010-04-01/Accounts/AC1/Messages.json");
		assertThat(this.client.rewrite("https://messaging.twilio.com/v1/Services"))
			.isEqualTo("http://localhost:8089/v1/Services");
		assertThat(this.client.rewrite("https://example.com/twilio.com/x")).isEqualTo("https://example.com/twilio.com/x");
	}

	@Test
	void theRedirectedRequestKeepsCredentialsParametersAndBody() {
		Request original = new Request(HttpMethod.POST, "api", "/2010-04-01/Accounts/AC1/Messages.json");
		original.setAuth("AC1", "secret");
		original.setContentType(EnumConstants.ContentType.FORM_URLENCODED);
		original.addPostParam("To", "+12025550101");
		original.addPostParam("Body", "Hi");
		original.addQueryParam("PageSize", "20");
		original.addHeaderParam("X-Custom", "1");
		original.setUserAgentExtensions(List.of("nurtureflow"));
		original.setRegion("ie1");
		original.setEdge("dublin");

		Request copy = this.client.redirected(original);

		assertThat(copy.constructURL().toString())
			.isEqualTo("http://localhost:8089/2010-04-01/Accounts/AC1/Messages.json?PageSize=20");
		assertThat(copy.getAuthString()).isEqualTo(original.getAuthString());
		assertThat(copy.getPostParams()).isEqualTo(original.getPostParams());
		assertThat(copy.getHeaderParams()).isEqualTo(original.getHeaderParams());
		assertThat(copy.getContentType()).isEqualTo(original.getContentType());
		assertThat(copy.getUserAgentExtensions()).containsExactly("nurtureflow");
	}

}
