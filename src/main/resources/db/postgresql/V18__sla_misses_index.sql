-- Speed to lead's SLA misses now count the missed first calls (Event_FirstCallSlaMissed in
-- lead-nurture.bpmn), not every firing of the call-SLA timer: the timer is on every call attempt,
-- but only a missed first call escalates (Gateway_FirstCall). The event is passed in the timer's own
-- job, before the managers' notice (its own job, which may wait out an SMTP outage), so a miss is
-- counted when it happens. This index holds one entry per miss, in the order the report reads them
-- (by time, then the journey for its call tasks); its condition is the report's
-- (InsightQueries.SLA_MISSES). Nothing else reads the boundary timers by step and time, so V6's
-- index of them goes: every fired timer of every journey paid for it. H2 answers the report from
-- V6's plain index on the step and time (db/h2/V6).
drop index nf_hi_actinst_boundary_timer;
create index nf_hi_actinst_sla_miss on act_hi_actinst (start_time_, proc_inst_id_, id_)
    where act_id_ = 'Event_FirstCallSlaMissed';
