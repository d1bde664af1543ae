package io.nurtureflow.lead;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Ending a lead's story on request: disqualified by sales, or erased on request. */
@Service
public class LeadLifecycle {

	private final LeadRepository leads;

	private final Journeys journeys;

	private final JdbcClient jdbc;

	LeadLifecycle(LeadRepository leads, Journeys journeys, JdbcClient jdbc) {
		this.leads = leads;
		this.journeys = journeys;
		this.jdbc = jdbc;
	}

	@Transactional
	public void disqualify(UUID id, String reason) {
		this.leads.findById(id).orElseThrow(() -> new LeadNotFoundException("id " + id));
		this.leads.updateStage(id, LeadStage.DISQUALIFIED);
		this.journeys.disqualify(id, reason);
	}

	/** Ends the journeys, then deletes the lead; its touches, consent and engagement go with it. */
	@Transactional
	public void erase(UUID id) {
		this.leads.findById(id).orElseThrow(() -> new LeadNotFoundException("id " + id));
		this.journeys.forget(id);
		this.jdbc.sql("delete from lead where id = ?").param(id).update();
	}

}
