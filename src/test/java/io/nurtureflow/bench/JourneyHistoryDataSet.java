package io.nurtureflow.bench;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;

/**
 * The engine's history of the {@code lead-nurture} journeys behind an {@link InsightDataSet}, written
 * with SQL into the {@code ACT_HI_*} tables the insight reports read, in the shape the engine writes
 * at history level {@code full}: one process instance per lead (business key = lead id; ended for
 * customers, sales-qualified, disqualified and unsubscribed leads, and for churned customers at
 * their conversion: the customer journeys, where they churned, are not in this data set); the
 * first call task and the later attempts (Call lead again, due as soon but without the SLA timer),
 * SLA escalations, social-touch and qualification tasks, each with its candidate-group and
 * assignee links; and an activity instance for every flow node a journey passed (gateways
 * included), from the same schedule as the touches: a nurture touch is ten activity instances, the
 * last of which, the event-based gateway, stays open while the journey waits.
 * <p>
 * Times go into the engine's {@code timestamp} columns as wall-clock time of this JVM's zone, as the
 * engine writes them. Activity instance ids are {@code <activity id>:<id>}, or the bare id where that
 * would pass the column's 64 characters, as the engine makes them.
 */
final class JourneyHistoryDataSet {

	static final List<String> TABLES = List.of("act_hi_procinst", "act_hi_taskinst", "act_hi_identitylink",
			"act_hi_actinst");

	/**
	 * The flow nodes each kind of happening passes, in order. {@code after}: 0 from the happening's
	 * start, 1 once its task ended, 2 once its wait ended; a {@code task} row is the user task, a
	 * {@code waits} row stays open until the happening's wait ends.
	 */
	private record Node(String kind, String id, String type, String name, boolean task, boolean waits, int after) {
	}

	private static final List<Node> NODES = nodes();

	private final String now;

	JourneyHistoryDataSet(Instant now) {
		this.now = "timestamptz '" + now + "'";
	}

	void seed(BulkLoad load) throws SQLException {
		String definition = load.text(
				"select id_ from act_re_procdef where key_ = 'lead-nurture' order by version_ desc limit 1");
		load.execute(bind(JOURNEYS, definition));
		load.update("act_hi_procinst", bind(PROCESS_INSTANCES, definition));
		load.update("act_hi_taskinst", bind(TASKS, definition));
		load.update("act_hi_identitylink", bind(IDENTITY_LINKS, definition));
		load.execute(nodeTable());
		load.execute(bind(HAPPENINGS, definition));
		load.update("act_hi_actinst", bind(ACTIVITY_INSTANCES, definition));
	}

	private String bind(String sql, String definition) {
		return sql.replace("{now}", this.now)
			.replace("{definition}", definition)
			.replace("{zone}", TimeZone.getDefault().getID())
			.replace("{ended}", InsightDataSet.ENDED);
	}

	private static String nodeTable() {
		List<String> rows = new ArrayList<>();
		for (int i = 0; i < NODES.size(); i++) {
			Node node = NODES.get(i);
			rows.add("('%s', %d, '%s', '%s', '%s', %s, %s, %d)".formatted(node.kind(), i, node.id(), node.type(),
					node.name().replace("'", "''"), node.task(), node.waits(), node.after()));
		}
		return "create temporary table bench_node (kind, seq, act_id, act_type, act_name, is_task, waits, after_wait)"
				+ " as values " + String.join(",\n", rows);
	}

	private static List<Node> nodes() {
		List<Node> nodes = new ArrayList<>();
		step(nodes, "captured", "StartEvent_LeadCaptured", "startEvent", "Lead captured");
		step(nodes, "captured", "Task_ScoreLead", "serviceTask", "Score lead");
		step(nodes, "captured", "Gateway_SpeedToLead", "parallelGateway", "Speed to lead");
		for (String sms : new String[] { "", "Sms" }) {
			String kind = sms.isEmpty() ? "ack-email" : "ack-sms";
			step(nodes, kind, "Gateway_" + sms + "AcknowledgementAttempt", "exclusiveGateway", "Send or retry");
			step(nodes, kind, "Task_SendAcknowledgement" + sms, "serviceTask",
					sms.isEmpty() ? "Send acknowledgement email" : "Send acknowledgement SMS");
			step(nodes, kind, "Gateway_" + sms + "AcknowledgementDeferred", "exclusiveGateway",
					"Deferred by contact policy?");
			step(nodes, kind, sms.isEmpty() ? "EndEvent_Acknowledged" : "EndEvent_SmsAcknowledged", "noneEndEvent",
					sms.isEmpty() ? "Lead acknowledged" : "SMS acknowledgement done");
		}
		call(nodes, "call", "Task_CallNewLead", "Call new lead");
		step(nodes, "call-again", "Timer_CallRetry", "intermediateTimer", "Until the next call attempt");
		step(nodes, "call-again", "Gateway_CallAttempt", "exclusiveGateway", "Call again");
		call(nodes, "call-again", "Task_CallLeadAgain", "Call lead again");
		step(nodes, "sla", "Timer_CallSla", "boundaryTimer", "Call SLA missed");
		step(nodes, "sla", "Event_FirstCallSlaMissed", "intermediateNoneThrowEvent", "First call SLA missed");
		step(nodes, "sla", "Task_NotifyManagers", "serviceTask", "Notify managers");
		nodes.add(new Node("sla", "Task_EscalateMissedSla", "userTask", "Escalate missed call SLA", true, false, 0));
		nodes.add(new Node("sla", "EndEvent_SlaEscalated", "noneEndEvent", "SLA escalation handled", false, false, 1));
		step(nodes, "qualify", "Gateway_ToQualify", "exclusiveGateway", "Qualify");
		nodes.add(new Node("qualify", "Task_Qualify", "userTask", "Qualify lead", true, false, 0));
		nodes.add(new Node("qualify", "Gateway_Qualified", "exclusiveGateway", "Qualified?", false, false, 1));
		step(nodes, "cadence", "Gateway_ToNurture", "exclusiveGateway", "Join nurture track");
		nodes.add(new Node("cadence", "SubProcess_NurtureCadence", "subProcess", "Nurture cadence", false, true, 0));
		step(nodes, "cadence", "StartEvent_Cadence", "startEvent", "Cadence starts");
		for (String channel : new String[] { "Email", "Sms" }) {
			String kind = "nurture-" + channel.toLowerCase(java.util.Locale.ROOT);
			planning(nodes, kind);
			step(nodes, kind, "Gateway_Nurture" + channel + "Attempt", "exclusiveGateway", "Send or retry");
			step(nodes, kind, "Task_SendNurture" + channel, "serviceTask",
					"Send nurture " + (channel.equals("Sms") ? "SMS" : "email"));
			step(nodes, kind, "Gateway_Nurture" + channel + "Deferred", "exclusiveGateway", "Deferred by contact policy?");
			step(nodes, kind, "Gateway_TouchMade", "exclusiveGateway", "Touch made");
			waitForEngagement(nodes, kind, 0);
		}
		planning(nodes, "social");
		nodes.add(new Node("social", "Task_SocialTouch", "userTask", "Social touch", true, false, 0));
		nodes.add(new Node("social", "Gateway_TouchMade", "exclusiveGateway", "Touch made", false, false, 1));
		waitForEngagement(nodes, "social", 1);
		step(nodes, "monthly", "Gateway_MonthlyTouch", "exclusiveGateway", "Monthly touch");
		step(nodes, "monthly", "Gateway_MonthlyAttempt", "exclusiveGateway", "Send or retry");
		step(nodes, "monthly", "Task_SendMonthlyTouch", "serviceTask", "Send monthly touch");
		step(nodes, "monthly", "Gateway_MonthlyDeferred", "exclusiveGateway", "Deferred by contact policy?");
		nodes.add(new Node("monthly", "Gateway_WaitMonthly", "eventBasedGateway", "Wait a month", false, true, 0));
		nodes.add(new Node("monthly", "Timer_Month", "intermediateTimer", "A month of silence", false, false, 2));
		nodes.add(new Node("monthly", "Gateway_SilentLongEnough", "exclusiveGateway", "Silent long enough?", false,
				false, 2));
		step(nodes, "exit-CUSTOMER", "StartEvent_Converted", "messageStartEvent", "Converted");
		step(nodes, "exit-CUSTOMER", "Task_StartCustomerJourney", "serviceTask", "Start customer journey");
		step(nodes, "exit-CUSTOMER", "EndEvent_ExitConverted", "noneEndEvent", "Journey ends: customer");
		step(nodes, "exit-SQL", "Task_MarkSalesQualified", "serviceTask", "Mark sales-qualified");
		step(nodes, "exit-SQL", "EndEvent_SalesQualified", "noneEndEvent", "Sales-qualified hand-off");
		step(nodes, "exit-DISQUALIFIED", "Gateway_ToNotInterested", "exclusiveGateway", "Disqualify");
		step(nodes, "exit-DISQUALIFIED", "Task_MarkNotInterested", "serviceTask", "Mark disqualified");
		step(nodes, "exit-DISQUALIFIED", "EndEvent_NotInterested", "noneEndEvent", "Not interested");
		step(nodes, "exit-UNSUBSCRIBED", "StartEvent_UnsubscribedEverywhere", "messageStartEvent",
				"Unsubscribed everywhere");
		step(nodes, "exit-UNSUBSCRIBED", "Task_MarkUnsubscribed", "serviceTask", "Mark unsubscribed");
		step(nodes, "exit-UNSUBSCRIBED", "EndEvent_ExitUnsubscribed", "noneEndEvent", "Journey ends: unsubscribed");
		return nodes;
	}

	private static void step(List<Node> nodes, String kind, String id, String type, String name) {
		nodes.add(new Node(kind, id, type, name, false, false, 0));
	}

	private static void call(List<Node> nodes, String kind, String task, String name) {
		nodes.add(new Node(kind, task, "userTask", name, true, false, 0));
		nodes.add(new Node(kind, "Gateway_CallLogged", "exclusiveGateway", "Call logged", false, false, 1));
		nodes.add(new Node(kind, "Gateway_CallOutcome", "exclusiveGateway", "Call outcome?", false, false, 1));
		nodes.add(new Node(kind, "Gateway_MoreCallAttempts", "exclusiveGateway", "Retries left?", false, false, 1));
	}

	private static void planning(List<Node> nodes, String kind) {
		step(nodes, kind, "Gateway_NextTouch", "exclusiveGateway", "Next touch");
		step(nodes, kind, "Task_PlanNextTouch", "serviceTask", "Plan next touch");
		step(nodes, kind, "Gateway_CadenceDone", "exclusiveGateway", "Cadence done?");
		step(nodes, kind, "Gateway_TouchChannel", "exclusiveGateway", "Channel?");
	}

	private static void waitForEngagement(List<Node> nodes, String kind, int after) {
		nodes.add(new Node(kind, "Gateway_WaitForEngagement", "eventBasedGateway", "Wait for engagement", false, true,
				after));
		nodes.add(new Node(kind, "Timer_TouchWait", "intermediateTimer", "Until the next touch", false, false, 2));
	}

	/*
	 * Per lead: how many call attempts (up to 4: the first and the three retries) and how soon the
	 * first call was made (45 % within the 5-minute SLA, 40 % within hours, the rest within days).
	 * A churned customer's lead-nurture journey ended as a customer's, at the conversion.
	 */
	private static final String JOURNEYS = """
			create temporary table bench_journey as
			select id as lead_id, '00000002' || substr(id::text, 9) as pi, created_at,
			       case stage when 'CHURNED' then 'CUSTOMER' else stage end as stage,
			       case when stage in {ended} then coalesce(converted_at, updated_at) end as ended_at,
			       1 + (r_calls < 0.55)::int + (r_calls < 0.35)::int + (r_calls < 0.25)::int as calls,
			       case when r_first < 0.45 then r_after * interval '5 minutes'
			            when r_first < 0.85 then interval '5 minutes' + r_after * interval '2 hours'
			            else interval '2 hours' + r_after * interval '2 days' end as first_call_after
			from (select l.*, random() as r_calls, random() as r_first, random() as r_after from lead l) l""";

	private static final String PROCESS_INSTANCES = """
			insert into act_hi_procinst (id_, proc_inst_id_, business_key_, proc_def_key_, proc_def_id_, start_time_,
			                             end_time_, removal_time_, duration_, start_act_id_, end_act_id_,
			                             root_proc_inst_id_, state_)
			select pi, pi, lead_id::text, 'lead-nurture', '{definition}', created_at at time zone '{zone}',
			       ended_at at time zone '{zone}', (ended_at + interval '180 days') at time zone '{zone}',
			       (extract(epoch from ended_at - created_at) * 1000)::bigint, 'StartEvent_LeadCaptured',
			       case stage when 'CUSTOMER' then 'EndEvent_ExitConverted' when 'SQL' then 'EndEvent_SalesQualified'
			                  when 'DISQUALIFIED' then 'EndEvent_NotInterested'
			                  when 'UNSUBSCRIBED' then 'EndEvent_ExitUnsubscribed' end,
			       pi, case when ended_at is null then 'ACTIVE' else 'COMPLETED' end
			from bench_journey""";

	/*
	 * Call attempts on the retry schedule (now, +1, +3, +7 days): the first a Call new lead, the later
	 * ones Call lead again, each due the call SLA after it opens (the diagram's callDue on both; only
	 * the first has the SLA timer, so only it escalates); an escalation for every first call
	 * later than the SLA, social touches on days 10 and 56, qualification after an interested call.
	 * A task the journey's end overtook was deleted; one still ahead of now is open.
	 */
	private static final String TASKS = """
			insert into act_hi_taskinst (id_, task_def_key_, proc_def_key_, proc_def_id_, root_proc_inst_id_,
			                             proc_inst_id_, execution_id_, act_inst_id_, name_, assignee_, start_time_,
			                             end_time_, duration_, delete_reason_, priority_, due_date_, removal_time_,
			                             task_state_)
			select id, task, 'lead-nurture', '{definition}', pi, pi, pi, task || ':' || id, name,
			       case when reason = 'completed' then 'rep-' || (abs(hashtext(pi)) % 40) end,
			       start at time zone '{zone}', finish at time zone '{zone}',
			       (extract(epoch from finish - start) * 1000)::bigint, reason, 50,
			       case when task in ('Task_CallNewLead', 'Task_CallLeadAgain')
			            then (start + interval '5 minutes') at time zone '{zone}' end,
			       (ended_at + interval '180 days') at time zone '{zone}',
			       case reason when 'completed' then 'Completed' when 'deleted' then 'Deleted' else 'Created' end
			from (
			    select pg_temp.bench_id(4, nextval('bench_ids')) as id, task, name, pi, start, ended_at,
			           case when planned < coalesce(ended_at, {now}) then planned else ended_at end as finish,
			           case when planned < coalesce(ended_at, {now}) then 'completed'
			                when ended_at is not null then 'deleted' end as reason
			    from (
			        select pi, ended_at, case k when 1 then 'Task_CallNewLead' else 'Task_CallLeadAgain' end as task,
			               case k when 1 then 'Call new lead' else 'Call lead again' end as name, start,
			               case when k = 1 then created_at + first_call_after
			                    else start + r * interval '4 hours' end as planned
			        from (
			            select j.*, k, random() as r,
			                   j.created_at + case k when 1 then interval '1 second' when 2 then interval '1 day'
			                                        when 3 then interval '3 days' else interval '7 days' end as start
			            from bench_journey j cross join generate_series(1, j.calls) k
			        ) calls
			        union all
			        select pi, ended_at, 'Task_EscalateMissedSla', 'Escalate missed call SLA', start,
			               start + r * interval '8 hours'
			        from (select *, created_at + interval '5 minutes' as start, random() as r from bench_journey
			              where first_call_after > interval '5 minutes') late
			        union all
			        select pi, ended_at, 'Task_SocialTouch', 'Social touch', start, start + r * interval '2 days'
			        from (select j.*, j.created_at + d * interval '1 day' + random() * interval '9 hours' as start,
			                     random() as r
			              from bench_journey j cross join (values (10), (56)) s(d)) social
			        union all
			        select pi, ended_at, 'Task_Qualify', 'Qualify lead', start, start + r * interval '3 days'
			        from (select *, created_at + first_call_after + interval '1 minute' as start, random() as r
			              from bench_journey where stage in ('SQL', 'CUSTOMER')) qualified
			    ) planned
			    where start < coalesce(ended_at, {now})
			) t""";

	private static final String IDENTITY_LINKS = """
			insert into act_hi_identitylink (id_, timestamp_, type_, user_id_, group_id_, task_id_, root_proc_inst_id_,
			                                 proc_def_id_, operation_type_, proc_def_key_, removal_time_)
			select pg_temp.bench_id(5, nextval('bench_ids')), at, type, user_id, group_id, id_, root_proc_inst_id_,
			       proc_def_id_, 'add', proc_def_key_, removal_time_
			from (
			    select start_time_ as at, 'candidate' as type, null as user_id,
			           case task_def_key_ when 'Task_EscalateMissedSla' then 'managers' else 'reps' end as group_id,
			           id_, root_proc_inst_id_, proc_def_id_, proc_def_key_, removal_time_
			    from act_hi_taskinst where proc_def_key_ = 'lead-nurture'
			    union all
			    select start_time_ + (end_time_ - start_time_) / 2, 'assignee', assignee_, null,
			           id_, root_proc_inst_id_, proc_def_id_, proc_def_key_, removal_time_
			    from act_hi_taskinst where proc_def_key_ = 'lead-nurture' and assignee_ is not null
			) links""";

	/*
	 * What each journey went through, one row per passage: capture, acknowledgements (from their
	 * touches), tasks, the cadence and its touches (each waiting until the next one, the journey's
	 * end, or still waiting now) and the exit.
	 */
	private static final String HAPPENINGS = """
			create temporary table bench_happening as
			select h.pi, j.ended_at, h.kind, h.at, h.task_id, h.task_end, h.until
			from (
			    select pi, 'captured' as kind, created_at as at, null::varchar as task_id,
			           null::timestamptz as task_end, null::timestamptz as until
			    from bench_journey
			    union all
			    select process_instance_id,
			           case activity_id when 'Task_SendAcknowledgement' then 'ack-email' else 'ack-sms' end,
			           created_at - interval '1 second', null, null, null
			    from touch where activity_id in ('Task_SendAcknowledgement', 'Task_SendAcknowledgementSms')
			    union all
			    select proc_inst_id_,
			           case task_def_key_ when 'Task_CallNewLead' then 'call' when 'Task_CallLeadAgain' then 'call-again'
			                              when 'Task_EscalateMissedSla' then 'sla' else 'qualify' end,
			           start_time_ at time zone '{zone}', id_, end_time_ at time zone '{zone}', null
			    from act_hi_taskinst
			    where task_def_key_ in ('Task_CallNewLead', 'Task_CallLeadAgain', 'Task_EscalateMissedSla', 'Task_Qualify')
			    union all
			    select pi, 'cadence', created_at + interval '7 days', null, null, ended_at
			    from bench_journey where created_at + interval '7 days' < coalesce(ended_at, {now})
			    union all
			    select pi, 'exit-' || stage, ended_at - interval '1 second', null, null, null
			    from bench_journey where ended_at is not null
			    union all
			    select pi, kind, at, task_id, task_end,
			           coalesce(lead(at) over (partition by pi order by at), ended_at)
			    from (
			        select t.process_instance_id as pi,
			               case t.activity_id when 'Task_SendNurtureEmail' then 'nurture-email'
			                                  when 'Task_SendNurtureSms' then 'nurture-sms' else 'monthly' end as kind,
			               t.created_at - interval '2 seconds' as at, null as task_id, null::timestamptz as task_end,
			               j.ended_at
			        from touch t join bench_journey j on j.pi = t.process_instance_id
			        where t.activity_id in ('Task_SendNurtureEmail', 'Task_SendNurtureSms', 'Task_SendMonthlyTouch')
			        union all
			        select k.proc_inst_id_, 'social', k.start_time_ at time zone '{zone}', k.id_,
			               k.end_time_ at time zone '{zone}', j.ended_at
			        from act_hi_taskinst k join bench_journey j on j.pi = k.proc_inst_id_
			        where k.task_def_key_ = 'Task_SocialTouch'
			    ) cadence
			) h join bench_journey j on j.pi = h.pi""";

	private static final String ACTIVITY_INSTANCES = """
			insert into act_hi_actinst (id_, parent_act_inst_id_, proc_def_key_, proc_def_id_, root_proc_inst_id_,
			                            proc_inst_id_, execution_id_, act_id_, task_id_, act_name_, act_type_,
			                            start_time_, end_time_, duration_, act_inst_state_, sequence_counter_,
			                            removal_time_)
			select id, pi, 'lead-nurture', '{definition}', pi, pi, pi, act_id, task_id, act_name, act_type,
			       started at time zone '{zone}', ended at time zone '{zone}',
			       (extract(epoch from ended - started) * 1000)::bigint, case when ended is null then 0 else 4 end,
			       seq, (ended_at + interval '180 days') at time zone '{zone}'
			from (
			    select h.pi, h.ended_at, n.act_id, n.act_name, n.act_type, n.seq,
			           case when n.is_task then n.act_id || ':' || h.task_id
			                when length(n.act_id) > 27 then pg_temp.bench_id(3, nextval('bench_ids'))
			                else n.act_id || ':' || pg_temp.bench_id(3, nextval('bench_ids')) end as id,
			           case when n.is_task then h.task_id end as task_id, started,
			           case when n.is_task then h.task_end when n.waits then h.until
			                else started + interval '3 milliseconds' end as ended
			    from bench_happening h join bench_node n on n.kind = h.kind,
			         lateral (select case n.after_wait when 1 then h.task_end when 2 then h.until else h.at end
			                         + n.seq * interval '10 milliseconds' as started) s
			    where n.after_wait = 0 or (n.after_wait = 1 and h.task_end is not null)
			          or (n.after_wait = 2 and h.until is not null)
			) a""";

}
