package io.nurtureflow.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real servers for the channels, one each per test JVM: GreenMail as the SMTP server and
 * WireMock standing in for the Twilio API (the real Twilio SDK calls it). The server under test
 * is pointed at both.
 */
public class LiveChannels implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	public static final String TWILIO_ACCOUNT = "AC00000000000000000000000000000000";

	public static final String TWILIO_TOKEN = "test-twilio-auth-token";

	public static final String TWILIO_FROM = "+15005550006";

	public static final String TRACKING_SECRET = "test-tracking-secret-0123456789abcdef";

	private static GreenMail smtp;

	private static int smtpPort;

	private static WireMockServer twilio;

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestPropertyValues
			.of("nurture.email.smtp-host=127.0.0.1", "nurture.email.smtp-port=" + smtp().getSmtp().getPort(),
					"nurture.email.timeout=2s",
					"nurture.email.from=Nurtureflow <hello@nurtureflow.test>",
					"nurture.twilio.account-sid=" + TWILIO_ACCOUNT, "nurture.twilio.auth-token=" + TWILIO_TOKEN,
					"nurture.twilio.from=" + TWILIO_FROM, "nurture.twilio.api-base-url=" + twilio().baseUrl(),
					"nurture.tracking.secret=" + TRACKING_SECRET,
					"nurture.tracking.public-url=https://nurture.example.com")
			.applyTo(context);
	}

	public static synchronized GreenMail smtp() {
		if (smtp == null) {
			smtpPort = freePort();
			startSmtp();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> smtp.stop()));
		}
		return smtp;
	}

	/** An SMTP outage: the server is gone until {@link #startSmtp()}. */
	public static synchronized void stopSmtp() {
		smtp().stop();
	}

	/** The SMTP server back on its port, empty. */
	public static synchronized void startSmtp() {
		smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
	}

	/** The SMTP server running, started again if a test stopped it: for each such test's clean-up. */
	public static synchronized void smtpBack() {
		if (!smtp().isRunning()) {
			startSmtp();
		}
	}

	private static int freePort() {
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	public static synchronized WireMockServer twilio() {
		if (twilio == null) {
			twilio = new WireMockServer(
					com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
			twilio.start();
			Runtime.getRuntime().addShutdownHook(new Thread(twilio::stop));
		}
		return twilio;
	}

}
