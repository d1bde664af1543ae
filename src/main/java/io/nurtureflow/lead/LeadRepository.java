package io.nurtureflow.lead;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The lead store. Plain SQL over the tables of {@code db/migration}. */
@Repository
public class LeadRepository {

	private static final String SELECT = """
			select id, email, phone, first_name, last_name, company, title, industry, company_size, country,
			       time_zone, source, campaign, consent_email, consent_sms, stage, churned_at, fit_score, fit_grade,
			       engagement_score, created_at, updated_at
			from lead
			""";

	private final JdbcClient jdbc;

	private final Clock clock;

	LeadRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	public Optional<Lead> findById(UUID id) {
		return findById(id, "");
	}

	/**
	 * As {@link #findById}, and holds the lead's row until the transaction ends: a second
	 * transaction asking the same waits, and then sees what the first one committed.
	 */
	public Optional<Lead> findByIdForUpdate(UUID id) {
		return findById(id, " for update");
	}

	private Optional<Lead> findById(UUID id, String lock) {
		return this.jdbc.sql(SELECT + " where id = ?" + lock)
			.param(id)
			.query(this::row)
			.optional()
			.map(this::withInterests);
	}

	public Optional<Lead> findByEmail(String normalisedEmail) {
		return findByEmail(normalisedEmail, "");
	}

	/**
	 * As {@link #findByEmail}, and holds the lead's row until the transaction ends: a second
	 * transaction asking the same waits, and then sees what the first one committed.
	 */
	Optional<Lead> findByEmailForUpdate(String normalisedEmail) {
		return findByEmail(normalisedEmail, " for update");
	}

	private Optional<Lead> findByEmail(String normalisedEmail, String lock) {
		return this.jdbc.sql(SELECT + " where email = ?" + lock)
			.param(normalisedEmail)
			.query(this::row)
			.optional()
			.map(this::withInterests);
	}

	/**
	 * Inserts the lead, its interests and its first consent answers; fails on a known email.
	 * Returns the lead as {@link #findById} would read it back.
	 */
	Lead insert(UUID id, NewLead lead, Instant now) {
		this.jdbc.sql("""
				insert into lead (id, email, phone, first_name, last_name, company, title, industry, company_size,
				                  country, time_zone, source, campaign, consent_email, consent_sms, stage,
				                  engagement_score, created_at, updated_at)
				values (:id, :email, :phone, :firstName, :lastName, :company, :title, :industry, :companySize,
				        :country, :timeZone, :source, :campaign, :consentEmail, :consentSms, :stage, 0, :now, :now)
				""")
			.param("id", id)
			.param("email", lead.email())
			.param("phone", lead.phone())
			.param("firstName", lead.firstName())
			.param("lastName", lead.lastName())
			.param("company", lead.company())
			.param("title", lead.title())
			.param("industry", lead.industry())
			.param("companySize", (lead.companySize() != null) ? lead.companySize().label() : null)
			.param("country", lead.country())
			.param("timeZone", lead.timeZone().getId())
			.param("source", lead.source())
			.param("campaign", lead.campaign())
			.param("consentEmail", lead.consentEmail())
			.param("consentSms", lead.consentSms())
			.param("stage", LeadStage.NEW.name())
			.param("now", Timestamp.from(now))
			.update();
		addInterests(id, lead.interests());
		Timestamp at = Timestamp.from(now);
		this.jdbc.sql("""
				insert into consent (lead_id, channel, granted, source, recorded_at)
				values (?, 'EMAIL', ?, 'intake', ?), (?, 'SMS', ?, 'intake', ?)""")
			.params(id, lead.consentEmail(), at, id, lead.consentSms(), at)
			.update();
		Instant stored = now.truncatedTo(ChronoUnit.MICROS);
		return new Lead(id, lead.email(), lead.phone(), lead.firstName(), lead.lastName(), lead.company(),
				lead.title(), lead.industry(), lead.companySize(), lead.country(), lead.timeZone(), lead.source(),
				lead.campaign(), lead.interests().stream().sorted().toList(), lead.consentEmail(), lead.consentSms(),
				LeadStage.NEW, null, null, null, BigDecimal.ZERO.setScale(2), stored, stored);
	}

	/**
	 * Stores the lead's details (phone, name, company, title, industry, size, country, source,
	 * campaign) as given; its interests, consent, stage and scores are stored on their own.
	 */
	void updateDetails(Lead lead, Instant now) {
		this.jdbc.sql("""
				update lead set phone = :phone, first_name = :firstName, last_name = :lastName, company = :company,
				                title = :title, industry = :industry, company_size = :companySize, country = :country,
				                source = :source, campaign = :campaign, updated_at = :now
				where id = :id
				""")
			.param("phone", lead.phone())
			.param("firstName", lead.firstName())
			.param("lastName", lead.lastName())
			.param("company", lead.company())
			.param("title", lead.title())
			.param("industry", lead.industry())
			.param("companySize", (lead.companySize() != null) ? lead.companySize().label() : null)
			.param("country", lead.country())
			.param("source", lead.source())
			.param("campaign", lead.campaign())
			.param("now", Timestamp.from(now))
			.param("id", lead.id())
			.update();
	}

	/** Adds interests, in one statement; the lead must have none of them yet (a key of the table). */
	void addInterests(UUID leadId, List<String> interests) {
		if (interests.isEmpty()) {
			return;
		}
		List<Object> values = new ArrayList<>();
		interests.forEach((interest) -> values.addAll(List.of(leadId, interest)));
		this.jdbc.sql("insert into lead_interest (lead_id, interest) values "
				+ String.join(", ", Collections.nCopies(interests.size(), "(?, ?)")))
			.params(values)
			.update();
	}

	public void updateStage(UUID leadId, LeadStage stage) {
		moveTo(leadId, null, stage);
	}

	/** Moves the lead to {@code stage} only while it is at {@code from}; says whether it moved. */
	public boolean updateStage(UUID leadId, LeadStage from, LeadStage stage) {
		return moveTo(leadId, from, stage);
	}

	/**
	 * A lead becoming {@code CHURNED} keeps when, whichever step or request moved it there: the
	 * diagram's steps name only the stage, and customer success asks when a customer left. The
	 * stages it reached by moving there ({@link StagesReached}) keep the first time, in the same
	 * statement, whichever step or request moved it.
	 */
	private boolean moveTo(UUID leadId, LeadStage from, LeadStage stage) {
		String churnedAt = (stage == LeadStage.CHURNED) ? ", churned_at = :now" : "";
		String reached = StagesReached.by(stage)
			.stream()
			.map((milestone) -> ", %1$s = coalesce(%1$s, :now)".formatted(milestone.column()))
			.collect(Collectors.joining());
		String onlyFrom = (from != null) ? " and stage = :from" : "";
		return this.jdbc.sql("update lead set stage = :stage" + churnedAt + reached + " where id = :id" + onlyFrom)
			.param("stage", stage.name())
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", leadId)
			.param("from", (from != null) ? from.name() : null)
			.update() == 1;
	}

	/**
	 * Records that a milestone of the lead happened at {@code at}: kept when it is the first time, or
	 * earlier than the time already recorded (events may arrive out of order).
	 */
	public void reachedMilestone(UUID leadId, LeadMilestone milestone, Instant at) {
		this.jdbc.sql("update lead set %1$s = :at where id = :lead and (%1$s is null or %1$s > :at)"
			.formatted(milestone.column()))
			.param("at", Timestamp.from(at))
			.param("lead", leadId)
			.update();
	}

	/** A touch failed for good (hard bounce, invalid number): it counts against the lead. */
	public void countFailedTouch(UUID leadId) {
		this.jdbc.sql("update lead set failed_touches = failed_touches + 1 where id = ?").param(leadId).update();
	}

	void recordConsent(UUID leadId, String channel, boolean granted, String source, Instant at) {
		this.jdbc.sql("""
				insert into consent (lead_id, channel, granted, source, recorded_at) values (?, ?, ?, ?, ?)
				""").params(leadId, channel, granted, source, Timestamp.from(at)).update();
	}

	private Lead withInterests(Lead lead) {
		// sorted here rather than by the database's collation, as insert() sorts them
		List<String> interests = this.jdbc.sql("select interest from lead_interest where lead_id = ?")
			.param(lead.id())
			.query(String.class)
			.list()
			.stream()
			.sorted()
			.toList();
		return new Lead(lead.id(), lead.email(), lead.phone(), lead.firstName(), lead.lastName(), lead.company(),
				lead.title(), lead.industry(), lead.companySize(), lead.country(), lead.timeZone(), lead.source(),
				lead.campaign(), interests, lead.consentEmail(), lead.consentSms(), lead.stage(), lead.churnedAt(),
				lead.fitScore(), lead.fitGrade(), lead.engagementScore(), lead.createdAt(), lead.updatedAt());
	}

	private static final Map<String, CompanySize> SIZES = java.util.Arrays.stream(CompanySize.values())
		.collect(Collectors.toMap(CompanySize::label, Function.identity()));

	private Lead row(ResultSet rs, int rowNum) throws SQLException {
		Integer fitScore = (Integer) rs.getObject("fit_score");
		BigDecimal engagement = rs.getBigDecimal("engagement_score");
		Timestamp churnedAt = rs.getTimestamp("churned_at");
		return new Lead(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("phone"),
				rs.getString("first_name"), rs.getString("last_name"), rs.getString("company"), rs.getString("title"),
				rs.getString("industry"), SIZES.get(rs.getString("company_size")), rs.getString("country"),
				ZoneId.of(rs.getString("time_zone")), rs.getString("source"), rs.getString("campaign"), List.of(),
				rs.getBoolean("consent_email"), rs.getBoolean("consent_sms"), LeadStage.valueOf(rs.getString("stage")),
				(churnedAt != null) ? churnedAt.toInstant() : null, fitScore, rs.getString("fit_grade"), engagement,
				rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

}
