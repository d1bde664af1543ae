package io.nurtureflow.channel.sms;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's webhooks: inbound SMS and delivery status. They are public (Twilio has no login), so
 * each must carry Twilio's signature; one without it gets 403 and changes nothing.
 */
@RestController
class TwilioWebhookController {

	private static final Logger log = LoggerFactory.getLogger(TwilioWebhookController.class);

	static final String SMS_PATH = "/webhooks/twilio/sms";

	static final String STATUS_PATH = "/webhooks/twilio/status";

	private static final MediaType TWIML = new MediaType(MediaType.APPLICATION_XML, StandardCharsets.UTF_8);

	private final TwilioSignature signature;

	private final InboundSms inbound;

	private final DeliveryReports deliveries;

	TwilioWebhookController(TwilioSignature signature, InboundSms inbound, DeliveryReports deliveries) {
		this.signature = signature;
		this.inbound = inbound;
		this.deliveries = deliveries;
	}

	@PostMapping(path = SMS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<?> sms(HttpServletRequest request) {
		Optional<Map<String, String>> params = this.signature.verified(request);
		if (params.isEmpty()) {
			return forbidden(request);
		}
		Map<String, String> sms = params.get();
		Optional<String> reply = this.inbound.receive(sms.get("From"), sms.get("Body"), sms.get("MessageSid"));
		String twiml = reply.map((text) -> "<Response><Message>" + xml(text) + "</Message></Response>")
			.orElse("<Response/>");
		return ResponseEntity.ok().contentType(TWIML).body(twiml);
	}

	@PostMapping(path = STATUS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<?> status(HttpServletRequest request) {
		Optional<Map<String, String>> params = this.signature.verified(request);
		if (params.isEmpty()) {
			return forbidden(request);
		}
		Map<String, String> status = params.get();
		this.deliveries.report(status.get("MessageSid"), status.get("MessageStatus"), status.get("ErrorCode"));
		return ResponseEntity.noContent().build();
	}

	/** One answer for every refusal, so a caller learns nothing about our configuration. */
	private static ResponseEntity<ProblemDetail> forbidden(HttpServletRequest request) {
		log.info("Refused a request to {} without a valid {}", request.getRequestURI(), TwilioSignature.HEADER);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
				"The request does not carry a valid Twilio signature (" + TwilioSignature.HEADER + ")");
		problem.setType(URI.create("https://nurtureflow.io/problems/forbidden"));
		problem.setTitle("Forbidden");
		return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static String xml(String text) {
		return text.replace("&", "&amp;")
			.replace("<", "&lt;")
			.replace(">", "&gt;")
			.replace("\"", "&quot;")
			.replace("'", "&apos;");
	}

}
