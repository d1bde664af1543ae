package io.nurtureflow.channel.sms;

import java.time.Clock;
import java.util.Locale;

import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.touch.TouchLedger;
import io.nurtureflow.touch.TouchStatus;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Twilio's status callbacks, written to the touch ledger. Only the end of the road counts:
 * delivered, or failed / undelivered (which also counts against the lead, once per touch even
 * when Twilio repeats the callback). Queued, sent and the like change nothing.
 */
@Component
class DeliveryReports {

	private final TouchLedger ledger;

	private final LeadRepository leads;

	private final Clock clock;

	DeliveryReports(TouchLedger ledger, LeadRepository leads, Clock clock) {
		this.ledger = ledger;
		this.leads = leads;
		this.clock = clock;
	}

	@Transactional
	void report(String messageSid, String status, String errorCode) {
		if (messageSid == null || status == null) {
			return;
		}
		switch (status.toLowerCase(Locale.ROOT)) {
			case "delivered" -> this.ledger.reportDelivery(messageSid, TouchStatus.DELIVERED, null, this.clock.instant());
			case "failed", "undelivered" -> failed(messageSid, status, errorCode);
			default -> {
				// not final yet: the message is still on its way
			}
		}
	}

	/** Counts against the lead once: only the report that moved the touch to FAILED does. */
	private void failed(String messageSid, String status, String errorCode) {
		String reason = (errorCode != null && !errorCode.isBlank()) ? "Twilio error " + errorCode
				: "Twilio status " + status;
		if (this.ledger.reportDelivery(messageSid, TouchStatus.FAILED, reason, this.clock.instant())) {
			this.ledger.findByProviderId(messageSid).ifPresent((touch) -> this.leads.countFailedTouch(touch.leadId()));
		}
	}

}
