package io.nurtureflow.touch;

import java.time.Clock;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every touch a journey makes comes through here. A touch already in the ledger under its key
 * is not made again, so a retried step never repeats it. Without a configured provider the
 * message is rendered and recorded ({@link TouchStatus#RECORDED}), never dropped.
 */
@Service
public class TouchDispatcher {

	private static final Logger log = LoggerFactory.getLogger(TouchDispatcher.class);

	private final TouchLedger ledger;

	private final LeadRepository leads;

	private final ContentTemplates templates;

	private final Clock clock;

	TouchDispatcher(TouchLedger ledger, LeadRepository leads, ContentTemplates templates, Clock clock) {
		this.ledger = ledger;
		this.leads = leads;
		this.templates = templates;
		this.clock = clock;
	}

	@Transactional
	public Touch dispatch(TouchRequest request) {
		var done = this.ledger.findByKey(request.idempotencyKey());
		if (done.isPresent()) {
			log.info("Touch {} is already in the ledger as {}; not made again", request.idempotencyKey(),
					done.get().status());
			return done.get();
		}
		Lead lead = this.leads.findById(request.leadId())
			.orElseThrow(() -> new IllegalStateException("Journey refers to unknown lead " + request.leadId()));
		RenderedMessage message = this.templates.render(request.content(), lead);
		long id = this.ledger.insert(request, TouchStatus.RECORDED, this.clock.instant());
		this.ledger.recordMessage(id, recipient(request.channel(), lead), message);
		return this.ledger.findByKey(request.idempotencyKey()).orElseThrow();
	}

	private static String recipient(Channel channel, Lead lead) {
		return (channel == Channel.SMS && lead.phone() != null) ? lead.phone() : lead.email();
	}

}
