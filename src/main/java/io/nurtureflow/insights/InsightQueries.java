package io.nurtureflow.insights;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import io.nurtureflow.insights.Reports.ChannelRow;
import io.nurtureflow.insights.Reports.ConversionRow;
import io.nurtureflow.insights.Reports.Durations;
import io.nurtureflow.insights.Reports.Funnel;
import io.nurtureflow.insights.Reports.FunnelStage;
import io.nurtureflow.insights.Reports.HourRow;
import io.nurtureflow.insights.Reports.SlaRow;
import io.nurtureflow.insights.Reports.SpeedToLead;
import io.nurtureflow.insights.Reports.StepRow;
import io.nurtureflow.insights.Reports.Timeline;
import io.nurtureflow.insights.Reports.TimelineEntry;
import io.nurtureflow.lead.LeadNotFoundException;
import io.nurtureflow.touch.TouchStatus;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only questions managers ask, over the lead store, the touch ledger, engagement and the
 * engine's history tables ({@code ACT_HI_*}, read as plain tables). The period reports read the
 * milestones kept on each lead and the outcomes kept on each touch ({@code db/migration/V9}), so
 * their cost grows with the leads or touches of the period and nothing else.
 */
@Repository
@Transactional(readOnly = true)
class InsightQueries {

	/**
	 * The kinds of activity a journey waits in, as an SQL list: the condition of the partial index
	 * journey steps counts from ({@code db/postgresql/V12}), which must name the same kinds.
	 */
	static final String WAITING_KINDS = "('userTask', 'serviceTask', 'intermediateTimer', 'eventBasedGateway',"
			+ " 'intermediateMessageCatch', 'noneEndEvent', 'boundaryTimer')";

	/** Per journey and step, its name, its kind and the instances waiting there now. */
	static final String WAITING_PER_STEP = """
			select PROC_DEF_KEY_, ACT_ID_, max(ACT_NAME_), max(ACT_TYPE_), count(*)
			from ACT_HI_ACTINST
			where END_TIME_ is null and ACT_TYPE_ in %s
			group by PROC_DEF_KEY_, ACT_ID_""".formatted(WAITING_KINDS);

	/**
	 * Missed call SLAs per candidate group of the journey's first call tasks, between two times:
	 * the missed first calls ({@code Event_FirstCallSlaMissed} in {@code lead-nurture.bpmn}, passed
	 * in the SLA timer's job before the managers' notice, which may wait out an SMTP outage in a job
	 * of its own). Only the first call has the timer; on journeys of earlier versions it was on
	 * every call attempt, and a later attempt's firing ended at {@code Gateway_FirstCall}'s other
	 * branch, escalating nothing: no miss of speed to lead. The condition on the activity id is that
	 * of the partial index it is read from ({@code db/postgresql/V18}).
	 */
	static final String SLA_MISSES = """
			select coalesce(i.GROUP_ID_, '(none)') as grp, count(distinct a.ID_) as misses
			from ACT_HI_ACTINST a
			join ACT_HI_TASKINST k on k.PROC_INST_ID_ = a.PROC_INST_ID_ and k.TASK_DEF_KEY_ = 'Task_CallNewLead'
			left join ACT_HI_IDENTITYLINK i on i.TASK_ID_ = k.ID_ and i.TYPE_ = 'candidate' and i.GROUP_ID_ is not null
			where a.ACT_ID_ = 'Event_FirstCallSlaMissed'
			  and a.START_TIME_ >= ? and a.START_TIME_ < ?
			group by coalesce(i.GROUP_ID_, '(none)') order by grp""";

	/** The columns a conversion report may group by, by the name the API uses. */
	static final Map<String, String> DIMENSIONS = Map.of("industry", "industry", "companySize", "company_size",
			"source", "source", "campaign", "campaign", "grade", "fit_grade");

	private final JdbcClient jdbc;

	InsightQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every step up to customer counts the leads that reached it, whatever became of them since
	 * (milestones on the lead row: {@code db/migration/V9}, and {@code V27} of each database): a churned
	 * customer counts as a customer, a disqualified SQL as an SQL. Disqualified counts the leads sales
	 * turned down, even those that came back since ({@code V29}); churned and unsubscribed are where
	 * leads stand now. Every column it reads is in the index on the creation time
	 * ({@code db/postgresql/V29}), so PostgreSQL answers it from the index alone.
	 */
	static final String FUNNEL = """
			select count(*) as total,
			       count(l.first_reached_at) as contacted,
			       count(l.engaged_at) as engaged,
			       count(l.mql_at) as mql,
			       count(l.sql_at) as sales_qualified,
			       count(l.customer_at) as customer,
			       sum(case when l.stage = 'CHURNED' then 1 else 0 end) as churned,
			       sum(case when l.stage = 'UNSUBSCRIBED' then 1 else 0 end) as unsubscribed,
			       count(l.disqualified_at) as disqualified
			from lead l where l.created_at >= ? and l.created_at < ?""";

	Funnel funnel(Period period) {
		Map<String, Object> row = this.jdbc.sql(FUNNEL)
			.params(Timestamp.from(period.start()), Timestamp.from(period.end()))
			.query()
			.singleRow();
		List<FunnelStage> stages = new ArrayList<>();
		long previous = -1;
		for (String stage : List.of("new", "contacted", "engaged", "mql", "sql", "customer")) {
			long leads = number(row, stage.equals("new") ? "total" : stage.equals("sql") ? "sales_qualified" : stage);
			stages.add(new FunnelStage(stage, leads, (previous < 0) ? null : Stats.share(leads, previous)));
			previous = leads;
		}
		long total = number(row, "total");
		stages.add(new FunnelStage("churned", number(row, "churned"), Stats.share(number(row, "churned"), total)));
		stages.add(new FunnelStage("unsubscribed", number(row, "unsubscribed"), Stats.share(number(row, "unsubscribed"), total)));
		stages.add(new FunnelStage("disqualified", number(row, "disqualified"), Stats.share(number(row, "disqualified"), total)));
		return new Funnel(period, stages);
	}

	SpeedToLead speedToLead(Period period) {
		Millis toTouch = new Millis();
		Millis toCall = new Millis();
		Millis[] toTouchByHour = new Millis[24];
		long[] leadsByHour = new long[24];
		// whole hours since the epoch and milliseconds as integers: a period can hold hundreds of
		// thousands of leads, and an integer is decoded in a fraction of a timestamp's time
		this.jdbc.sql("""
				select cast(floor(extract(epoch from l.created_at) / 3600) as bigint),
				       cast(floor(extract(epoch from (l.first_reached_at - l.created_at)) * 1000) as bigint),
				       cast(floor(extract(epoch from (l.first_call_at - l.created_at)) * 1000) as bigint)
				from lead l where l.created_at >= ? and l.created_at < ?""")
			.params(Timestamp.from(period.start()), Timestamp.from(period.end()))
			.query((rs) -> {
				int hour = (int) Math.floorMod(rs.getLong(1), 24);
				leadsByHour[hour]++;
				// never negative, should a clock have been set back between the two writes
				long touch = Math.max(0, rs.getLong(2));
				if (!rs.wasNull()) {
					toTouch.add(touch);
					if (toTouchByHour[hour] == null) {
						toTouchByHour[hour] = new Millis();
					}
					toTouchByHour[hour].add(touch);
				}
				long call = rs.getLong(3);
				if (!rs.wasNull()) {
					toCall.add(Math.max(0, call));
				}
			});
		List<HourRow> hours = new ArrayList<>();
		for (int hour = 0; hour < 24; hour++) {
			Double median = (toTouchByHour[hour] != null) ? toTouchByHour[hour].percentileSeconds(50) : null;
			hours.add(new HourRow(hour, leadsByHour[hour], median));
		}
		return new SpeedToLead(period, durations(toTouch), durations(toCall), slaMisses(period), hours);
	}

	private List<SlaRow> slaMisses(Period period) {
		return this.jdbc.sql(SLA_MISSES)
			.params(Timestamp.from(period.start()), Timestamp.from(period.end()))
			.query((rs, n) -> new SlaRow(rs.getString(1), rs.getLong(2)))
			.list();
	}

	List<ConversionRow> whoConverts(Period period, String dimension) {
		String column = DIMENSIONS.get(dimension);
		if (column == null) {
			throw new InvalidReportRequestException("by must be one of " + DIMENSIONS.keySet());
		}
		Timestamp start = Timestamp.from(period.start());
		Timestamp end = Timestamp.from(period.end());
		record Group(String group, long leads, long converted) {
		}
		List<Group> groups = this.jdbc.sql("""
				select coalesce(l.%1$s, '(unknown)'), count(*),
				       sum(case when l.stage = 'CUSTOMER' or l.converted_at is not null then 1 else 0 end)
				from lead l where l.created_at >= ? and l.created_at < ?
				group by coalesce(l.%1$s, '(unknown)')""".formatted(column))
			.params(start, end)
			.query((rs, n) -> new Group(rs.getString(1), rs.getLong(2), rs.getLong(3)))
			.list();
		// days to convert, for the medians: only the converted leads' rows come back
		Map<String, List<Double>> days = new HashMap<>();
		this.jdbc.sql("""
				select coalesce(l.%s, '(unknown)'), l.created_at, l.converted_at
				from lead l where l.created_at >= ? and l.created_at < ? and l.converted_at is not null""".formatted(column))
			.params(start, end)
			.query((rs) -> {
				double seconds = seconds(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3));
				days.computeIfAbsent(rs.getString(1), (g) -> new ArrayList<>()).add(Math.round(seconds / 864) / 100.0);
			});
		return groups.stream().map((group) -> {
			List<Double> sample = days.getOrDefault(group.group(), List.of()).stream().sorted().toList();
			return new ConversionRow(group.group(), group.leads(), group.converted(),
					Stats.share(group.converted(), group.leads()), Stats.percentile(sample, 50));
		}).sorted(Comparator.comparingDouble(ConversionRow::rate).reversed().thenComparing(ConversionRow::group)).toList();
	}

	/**
	 * Per content piece, each touch counted once, whatever engagement it drew: what it drew is
	 * kept on the touch ({@code db/migration/V9}), so this reads the period's touches and nothing else.
	 */
	List<ChannelRow> channels(Period period) {
		return this.jdbc.sql("""
				select channel, content,
				       sum(case when status in %s then 1 else 0 end),
				       sum(case when status = 'DELIVERED' then 1 else 0 end),
				       sum(case when opened then 1 else 0 end), sum(case when clicked then 1 else 0 end),
				       sum(case when replied then 1 else 0 end), sum(case when unsubscribed then 1 else 0 end),
				       sum(case when status = 'FAILED' then 1 else 0 end)
				from touch where created_at >= ? and created_at < ?
				group by channel, content
				order by channel, content""".formatted(TouchStatus.REACHED_SQL))
			.params(Timestamp.from(period.start()), Timestamp.from(period.end()))
			.query((rs, n) -> new ChannelRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
					rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)))
			.list();
	}

	/**
	 * Per step, the instances waiting there now and the journeys that left at it (its end events),
	 * each counted from its own partial index of the history ({@code db/postgresql/V6, V12}) and
	 * grouped there, not read from every activity instance ever written. A step's name and type
	 * come from those rows.
	 */
	List<StepRow> journeySteps() {
		record Step(String journey, String step) {
		}
		Map<Step, StepRow> rows = new TreeMap<>(Comparator.comparing(Step::journey).thenComparing(Step::step));
		this.jdbc.sql(WAITING_PER_STEP)
			.query((rs) -> {
				rows.put(new Step(rs.getString(1), rs.getString(2)),
						new StepRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), 0));
			});
		this.jdbc.sql("""
				select PROC_DEF_KEY_, ACT_ID_, max(ACT_NAME_), count(*)
				from ACT_HI_ACTINST
				where ACT_TYPE_ = 'noneEndEvent' and END_TIME_ is not null
				group by PROC_DEF_KEY_, ACT_ID_""")
			.query((rs) -> {
				rows.merge(new Step(rs.getString(1), rs.getString(2)),
						new StepRow(rs.getString(1), rs.getString(2), rs.getString(3), "noneEndEvent", 0, rs.getLong(4)),
						(waiting, left) -> new StepRow(waiting.journey(), waiting.step(), waiting.name(), waiting.type(),
								waiting.waitingNow(), left.leftHere()));
			});
		return List.copyOf(rows.values());
	}

	/**
	 * A lead's journeys, running or ended, by the business key, with the name of the step each
	 * ended at and the reason its exit was given ({@code LeadNurture.EXIT_REASON}): each looked up
	 * by the engine's own indexes on (process instance, activity) and (process instance, variable
	 * name), so one statement whatever the number of journeys.
	 */
	static final String JOURNEYS = """
			select p.ID_, p.PROC_DEF_KEY_, p.STATE_, p.START_TIME_, p.END_TIME_, p.END_ACT_ID_,
			       (select max(a.ACT_NAME_) from ACT_HI_ACTINST a
			        where a.PROC_INST_ID_ = p.ID_ and a.ACT_ID_ = p.END_ACT_ID_),
			       (select max(v.TEXT_) from ACT_HI_VARINST v
			        where v.PROC_INST_ID_ = p.ID_ and v.NAME_ = 'exitReason'),
			       p.DELETE_REASON_
			from ACT_HI_PROCINST p where p.BUSINESS_KEY_ = ? order by p.START_TIME_, p.ID_""";

	/**
	 * The stages a lead reached, as kept on its row: the first time it became an MQL, an SQL and a
	 * customer ({@code V27}) and the first time it was disqualified ({@code V29}), never cleared, so
	 * they stay when it comes back; and the last time it churned ({@code V25}).
	 */
	private static final List<StageReached> STAGES_REACHED = List.of(new StageReached("mql_at", "Became an MQL"),
			new StageReached("sql_at", "Became an SQL"), new StageReached("customer_at", "Became a customer"),
			new StageReached("churned_at", "Churned"), new StageReached("disqualified_at", "Disqualified"));

	private record StageReached(String column, String what) {
	}

	/**
	 * Everything that happened to one lead, in order, each source read in one statement by the
	 * lead id or the business key. What happened at the same instant is listed in the order one
	 * thing follows from another: the capture; what the lead did; the stages that moved it and the
	 * journeys that ended; the journeys that started; what they sent, consent, and tasks.
	 */
	Timeline timeline(UUID leadId) {
		record Captured(String email, String stage, Instant at, List<TimelineEntry> reached) {
		}
		Captured lead = this.jdbc
			.sql("select email, stage, created_at, "
					+ STAGES_REACHED.stream().map(StageReached::column).collect(Collectors.joining(", "))
					+ " from lead where id = ?")
			.param(leadId)
			.query((rs, n) -> new Captured(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
					stagesReached(rs)))
			.optional()
			.orElseThrow(() -> new LeadNotFoundException("id " + leadId));
		List<TimelineJourney> journeys = journeys(leadId);
		List<TimelineEntry> entries = new ArrayList<>();
		entries.add(new TimelineEntry(lead.at(), "captured", "Lead captured", null, null, null));
		entries.addAll(engagement(leadId));
		entries.addAll(lead.reached());
		journeys.forEach((journey) -> journey.end(cockpit(journey.instanceId())).ifPresent(entries::add));
		for (int i = 0; i < journeys.size(); i++) {
			entries.add(journeys.get(i).start(i == 0, cockpit(journeys.get(i).instanceId())));
		}
		entries.addAll(touches(leadId));
		entries.addAll(consent(leadId));
		entries.addAll(tasks(leadId));
		// stable: entries of the same instant keep the order they were added in
		entries.sort(Comparator.comparing(TimelineEntry::at));
		return new Timeline(leadId.toString(), lead.email(), lead.stage(), entries);
	}

	private List<TimelineJourney> journeys(UUID leadId) {
		return this.jdbc.sql(JOURNEYS)
			.param(leadId.toString())
			.query((rs, n) -> new TimelineJourney(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4).toInstant(), instant(rs.getTimestamp(5)), rs.getString(6), rs.getString(7),
					rs.getString(8), rs.getString(9)))
			.list();
	}

	private List<TimelineEntry> engagement(UUID leadId) {
		return this.jdbc
			.sql("select occurred_at, type, channel, detail from engagement_event where lead_id = ? order by occurred_at, id")
			.param(leadId)
			.query((rs, n) -> new TimelineEntry(rs.getTimestamp(1).toInstant(), "engagement", rs.getString(2),
					rs.getString(4), (rs.getString(3) != null) ? "via " + rs.getString(3) : null, null))
			.list();
	}

	private List<TimelineEntry> touches(UUID leadId) {
		return this.jdbc.sql("""
				select created_at, channel, content, status, reason, process_instance_id, deferred_until
				from touch where lead_id = ? order by created_at, id""")
			.param(leadId)
			.query((rs, n) -> new TimelineEntry(rs.getTimestamp(1).toInstant(), "touch",
					rs.getString(2) + " " + rs.getString(3), rs.getString(4),
					why(rs.getString(4), rs.getString(5), rs.getTimestamp(7)), cockpit(rs.getString(6))))
			.list();
	}

	private List<TimelineEntry> consent(UUID leadId) {
		List<TimelineEntry> consent = new ArrayList<>(this.jdbc
			.sql("select recorded_at, channel, granted, source from consent where lead_id = ? order by recorded_at, id")
			.param(leadId)
			.query((rs, n) -> new TimelineEntry(rs.getTimestamp(1).toInstant(), "consent",
					rs.getString(2) + (rs.getBoolean(3) ? " granted" : " withdrawn"), null, rs.getString(4), null))
			.list());
		// no touch, but an email the lead got: why, and what became of it
		this.jdbc.sql("select asked_at, status, source from email_resubscription where lead_id = ? order by asked_at, id")
			.param(leadId)
			.query((rs, n) -> new TimelineEntry(rs.getTimestamp(1).toInstant(), "consent", "EMAIL confirmation asked",
					rs.getString(2), rs.getString(3), null))
			.list()
			.forEach(consent::add);
		return consent;
	}

	private List<TimelineEntry> tasks(UUID leadId) {
		return this.jdbc.sql("""
				select k.START_TIME_, k.END_TIME_, k.NAME_, k.ASSIGNEE_, k.DELETE_REASON_, k.PROC_INST_ID_
				from ACT_HI_TASKINST k join ACT_HI_PROCINST p on p.ID_ = k.PROC_INST_ID_
				where p.BUSINESS_KEY_ = ? order by k.START_TIME_""")
			.param(leadId.toString())
			.query((rs, n) -> new TimelineEntry(rs.getTimestamp(1).toInstant(), "task", rs.getString(3),
					(rs.getTimestamp(2) == null) ? "open"
							: ("completed".equals(rs.getString(5)) ? "completed"
									: "ended without completion" + ((rs.getString(5) != null) ? " (" + rs.getString(5) + ")" : ""))
									+ ((rs.getString(4) != null) ? " by " + rs.getString(4) : ""),
					null, cockpit(rs.getString(6))))
			.list();
	}

	private static List<TimelineEntry> stagesReached(ResultSet rs) throws SQLException {
		List<TimelineEntry> reached = new ArrayList<>();
		for (StageReached stage : STAGES_REACHED) {
			Timestamp at = rs.getTimestamp(stage.column());
			if (at != null) {
				reached.add(new TimelineEntry(at.toInstant(), "stage", stage.what(), null, null, null));
			}
		}
		return reached;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static String why(String status, String reason, Timestamp deferredUntil) {
		if ("DEFERRED".equals(status) && deferredUntil != null) {
			return reason + " until " + deferredUntil.toInstant();
		}
		return reason;
	}

	private static String cockpit(String processInstanceId) {
		return (processInstanceId == null || processInstanceId.length() < 8) ? null
				: "/camunda/app/cockpit/default/#/process-instance/" + processInstanceId;
	}

	private static Durations durations(Millis millis) {
		return new Durations(millis.size(), millis.percentileSeconds(50), millis.percentileSeconds(90),
				Stats.share(millis.atMost(Duration.ofMinutes(5).toMillis()), millis.size()));
	}

	private static Double seconds(Instant from, Timestamp to) {
		return (to == null) ? null : Math.max(0, Duration.between(from, to.toInstant()).toMillis() / 1000.0);
	}

	private static long number(Map<String, Object> row, String column) {
		Object value = value(row, column);
		return (value instanceof Number n) ? n.longValue() : 0;
	}

	/** Column labels come back upper-case from H2 and lower-case from PostgreSQL. */
	private static Object value(Map<String, Object> row, String column) {
		Object value = row.get(column);
		return (value != null) ? value : row.get(column.toUpperCase(java.util.Locale.ROOT));
	}

}
