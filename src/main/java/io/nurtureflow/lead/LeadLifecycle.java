package io.nurtureflow.lead;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ending a lead's story on request: disqualified by sales (a lead, never a customer), churned (a
 * customer who left mid-contract), or erased on request. Each change runs in one transaction; one that collides with a concurrent change to the
 * lead's journeys (a touch sent at that moment, which holds the journey's rows) is rolled back
 * whole and run again.
 */
@Service
public class LeadLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LeadLifecycle.class);

	private final LeadRepository leads;

	private final Journeys journeys;

	private final JdbcClient jdbc;

	private final IdempotentRequests idempotentRequests;

	private final TransactionTemplate transaction;

	LeadLifecycle(LeadRepository leads, Journeys journeys, JdbcClient jdbc, IdempotentRequests idempotentRequests,
			TransactionTemplate transaction) {
		this.leads = leads;
		this.journeys = journeys;
		this.jdbc = jdbc;
		this.idempotentRequests = idempotentRequests;
		this.transaction = transaction;
	}

	/**
	 * Refused for a customer ({@link LeadIsCustomerException}). The lead's row is held from the
	 * check on, so a conversion committing meanwhile is seen, not overwritten.
	 */
	public void disqualify(UUID id, String reason) {
		changeAgainOnCollision(id, () -> {
			Lead lead = this.leads.findByIdForUpdate(id).orElseThrow(() -> new LeadNotFoundException("id " + id));
			if (lead.stage() == LeadStage.CUSTOMER) {
				throw new LeadIsCustomerException(id);
			}
			this.leads.updateStage(id, LeadStage.DISQUALIFIED);
			this.journeys.disqualify(id, reason);
		});
	}

	/**
	 * A customer who left: its customer journey ends through its "churned" exit, and the lead is
	 * {@code CHURNED}. Recording it again, or after the renewal call did, changes nothing (the first
	 * time and reason stand), so an integration may send it as often as it likes. Refused for a lead
	 * that is no customer ({@link LeadIsNotCustomerException}). The lead's row is held from the
	 * check on, as for {@link #disqualify}.
	 */
	public void churn(UUID id, String reason) {
		changeAgainOnCollision(id, () -> {
			Lead lead = this.leads.findByIdForUpdate(id).orElseThrow(() -> new LeadNotFoundException("id " + id));
			if (lead.stage() == LeadStage.CHURNED) {
				return;
			}
			if (lead.stage() != LeadStage.CUSTOMER) {
				throw new LeadIsNotCustomerException(id, lead.stage());
			}
			this.journeys.churn(id, reason);
			// the journey's own step marked it; a journey cancelled for want of the exit, or none
			// running at all (cancelled in Cockpit), did not
			this.leads.updateStage(id, LeadStage.CUSTOMER, LeadStage.CHURNED);
		});
	}

	/**
	 * Ends the journeys, then deletes the lead; its touches, consent and engagement go with it, and
	 * the answers stored for requests about it under an idempotency key.
	 * Takes the rows in the order every other change to them does (a touch's result, a click: the
	 * touch, then the lead, then the journey), so that it waits for such a change rather than
	 * deadlocking with it.
	 */
	public void erase(UUID id) {
		changeAgainOnCollision(id, () -> {
			this.jdbc.sql("select id from touch where lead_id = ? order by id for update")
				.param(id)
				.query(Long.class)
				.list();
			this.leads.findByIdForUpdate(id).orElseThrow(() -> new LeadNotFoundException("id " + id));
			this.journeys.forget(id);
			this.jdbc.sql("delete from lead where id = ?").param(id).update();
			this.idempotentRequests.forgetAnswersAbout(id);
		});
	}

	private void changeAgainOnCollision(UUID id, Runnable change) {
		RunAgain.onLostLock(() -> {
			this.transaction.executeWithoutResult((status) -> change.run());
			return null;
		}, log, "Change to lead " + id);
	}

}
