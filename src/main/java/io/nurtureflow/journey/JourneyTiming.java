package io.nurtureflow.journey;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.UUID;

import javax.xml.datatype.DatatypeFactory;

import io.nurtureflow.lead.Lead;
import io.nurtureflow.lead.LeadRepository;
import io.nurtureflow.touch.policy.ContactProperties;
import io.nurtureflow.touch.policy.ContactWindow;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code ${journeyTiming}} in the diagrams: every wait a journey makes, from configuration, on
 * the engine's clock.
 */
@Component("journeyTiming")
public class JourneyTiming {

	private final JourneyProperties properties;

	private final ContactWindow businessHours;

	private final ZoneId businessZone;

	private final ContactWindow callHours;

	private final LeadRepository leads;

	private final JdbcClient jdbc;

	private final Clock clock;

	JourneyTiming(JourneyProperties properties, ContactProperties contact, LeadRepository leads, JdbcClient jdbc,
			Clock clock) {
		this.properties = properties;
		this.callHours = contact.callWindow();
		this.leads = leads;
		this.businessHours = ContactWindow.parse(properties.businessHours(), properties.businessDays());
		this.businessZone = ZoneId.of(properties.businessZone());
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Now plus the call SLA, counted from the first moment at which the reps work (business hours)
	 * and the lead may be called (call hours in the lead's own zone). When the two never meet (a
	 * lead whose daytime falls wholly outside the reps' hours), the SLA counts in business hours
	 * alone, as it is the reps' to keep.
	 */
	public Date callDue(Object leadId) {
		ZoneId leadZone = this.leads.findById(UUID.fromString(leadId.toString()))
			.map(Lead::timeZone)
			.orElse(this.businessZone);
		Instant opening = this.clock.instant();
		// each step moves on by at least one business day, so 14 find any overlap of a week
		for (int step = 0; step < 14; step++) {
			Instant settled = this.callHours.nextOpening(this.businessHours.nextOpening(opening, this.businessZone),
					leadZone);
			if (settled.equals(opening)) {
				return Date.from(opening.plus(this.properties.callSla()));
			}
			opening = settled;
		}
		Instant repsStart = this.businessHours.nextOpening(this.clock.instant(), this.businessZone);
		return Date.from(repsStart.plus(this.properties.callSla()));
	}

	/** Whether a call that went unanswered may be tried again. */
	public boolean callRetryLeft(Object attempts) {
		return count(attempts) <= this.properties.callRetryDelays().size();
	}

	/** The wait before the next attempt after {@code attempts} calls. */
	public String callRetryDelay(Object attempts) {
		int index = Math.min(Math.max(count(attempts), 1), this.properties.callRetryDelays().size()) - 1;
		return this.properties.callRetryDelays().get(index).toString();
	}

	public String getLongTermInterval() {
		return this.properties.longTermInterval();
	}

	public String getRepermissionWait() {
		return this.properties.repermissionWait();
	}

	public String getOnboardingGap() {
		return this.properties.onboardingGap();
	}

	public String getCheckInAfter() {
		return this.properties.checkInAfter();
	}

	public String getCheckInFollowUp() {
		return this.properties.checkInFollowUp();
	}

	public String getQuarter() {
		return this.properties.quarter();
	}

	public String getSurveyWait() {
		return this.properties.surveyWait();
	}

	/** Whether the lead has neither engaged nor arrived within the re-permission period. */
	public boolean silentLongEnough(Object leadId) {
		Instant since = this.clock.instant().minus(this.properties.repermissionAfter());
		UUID id = UUID.fromString(leadId.toString());
		long recent = this.jdbc.sql("""
				select (select count(*) from engagement_event where lead_id = ? and occurred_at > ?)
				     + (select count(*) from lead where id = ? and created_at > ?)""")
			.params(id, Timestamp.from(since), id, Timestamp.from(since))
			.query(Long.class)
			.single();
		return recent == 0;
	}

	/**
	 * When a customer's quarter ends: a quarter from now, or sooner when the renewal preparation
	 * starts before that (at once when it has started already: a check-in left open past it). The
	 * quarters count from the last check-in, not from the contract, so without this they may step
	 * over the preparation's window and bring the renewal call after the renewal date.
	 */
	public Date quarterEnds(Date renewalDate) {
		Date now = Date.from(this.clock.instant());
		Date quarterLater = (Date) now.clone();
		// read and added as the engine reads a timer's duration (its DurationHelper)
		DatatypeFactory.newDefaultInstance().newDuration(this.properties.quarter()).addTo(quarterLater);
		if (renewalDate == null) {
			return quarterLater;
		}
		Date preparation = Date.from(renewalDate.toInstant().minus(this.properties.renewalLead()));
		if (preparation.before(now)) {
			return now;
		}
		return preparation.before(quarterLater) ? preparation : quarterLater;
	}

	/** Whether the renewal date is close enough to prepare for it. */
	public boolean renewalDue(Date renewalDate) {
		return !this.clock.instant().isBefore(renewalDate.toInstant().minus(this.properties.renewalLead()));
	}

	Date firstRenewal() {
		return Date.from(this.clock.instant().atZone(this.businessZone).plus(this.properties.contractTerm()).toInstant());
	}

	Date nextRenewal(Date renewal) {
		return Date.from(renewal.toInstant().atZone(this.businessZone).plus(this.properties.contractTerm()).toInstant());
	}

	private static int count(Object attempts) {
		return (attempts instanceof Number number) ? number.intValue() : 0;
	}

}
