package io.nurtureflow.lead;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Consent changes after intake: unsubscribes, SMS STOP and START, consent a lead submitted again
 * gives. Every change is kept.
 */
@Service
public class LeadConsent {

	public enum ConsentChannel {

		EMAIL, SMS

	}

	private final JdbcClient jdbc;

	private final LeadRepository leads;

	private final Clock clock;

	LeadConsent(JdbcClient jdbc, LeadRepository leads, Clock clock) {
		this.jdbc = jdbc;
		this.leads = leads;
		this.clock = clock;
	}

	/** Sets a lead's consent for a channel; returns whether it changed. */
	@Transactional
	public boolean set(UUID leadId, ConsentChannel channel, boolean granted, String source) {
		String column = (channel == ConsentChannel.EMAIL) ? "consent_email" : "consent_sms";
		int changed = this.jdbc.sql("update lead set " + column + " = ?, updated_at = ? where id = ? and " + column
				+ " <> ?")
			.params(granted, java.sql.Timestamp.from(this.clock.instant()), leadId, granted)
			.update();
		if (changed > 0) {
			this.leads.recordConsent(leadId, channel.name(), granted, source, this.clock.instant());
		}
		return changed > 0;
	}

	/**
	 * Whether the lead ever took its consent for the channel back, or had it taken back (the
	 * re-permission question left unanswered): any withdrawal after the first answers intake
	 * records. An opt-out that found no consent to withdraw changed nothing and left no change
	 * here (a STOP from a number shared with another lead), so its engagement event counts too.
	 */
	boolean everWithdrawn(UUID leadId, ConsentChannel channel) {
		return this.jdbc.sql("""
				select case when exists (select 1 from consent
				                         where lead_id = :lead and channel = :channel and granted = false
				                           and source <> 'intake')
				              or exists (select 1 from engagement_event where lead_id = :lead and type = :optOut)
				            then 1 else 0 end""")
			.param("lead", leadId)
			.param("channel", channel.name())
			.param("optOut", (channel == ConsentChannel.EMAIL) ? "UNSUBSCRIBED" : "SMS_OPTED_OUT")
			.query(Integer.class)
			.single() == 1;
	}

	/** The leads reached at an E.164 number; SMS keywords act on all of them. */
	public List<UUID> leadsWithPhone(String e164) {
		return this.jdbc.sql("select id from lead where phone = ?").param(e164).query(UUID.class).list();
	}

	public List<UUID> leadsWithEmail(String email) {
		return this.jdbc.sql("select id from lead where email = ?")
			.param(email.trim().toLowerCase(Locale.ROOT))
			.query(UUID.class)
			.list();
	}

}
