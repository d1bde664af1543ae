-- The insight reports read the engine's history tables. Without these, "journey steps" read every
-- activity instance ever written (4.4 s with 100,000 leads' journeys, 11 million rows) and the
-- call-SLA misses scanned the activity instances for one activity id (2.7 s); see benchmarks.md,
-- section 3. Partial indexes hold only the rows the reports ask for (a few MB), so the engine's
-- inserts of all other activity instances do not pay for them. The engine has created its tables
-- before Flyway runs (config/FlywayAfterEngine).

-- Journey steps: instances waiting now, and journeys that left at an end event.
create index nf_hi_actinst_waiting on act_hi_actinst (proc_def_key_, act_id_, act_type_, act_name_)
    where end_time_ is null;
create index nf_hi_actinst_ended_here on act_hi_actinst (proc_def_key_, act_id_, act_type_, act_name_)
    where act_type_ = 'noneEndEvent' and end_time_ is not null;

-- Speed to lead: boundary timers (the call SLA) by step and time, the call tasks of a journey with
-- their candidate groups, when a journey's tasks were completed, and a lead's journeys by
-- business key, all answered from the index.
create index nf_hi_actinst_boundary_timer on act_hi_actinst (act_id_, start_time_, proc_inst_id_, id_)
    where act_type_ = 'boundaryTimer';
create index nf_hi_taskinst_step on act_hi_taskinst (proc_inst_id_, task_def_key_, id_);
create index nf_hi_taskinst_completed on act_hi_taskinst (proc_inst_id_, task_def_key_, end_time_)
    where delete_reason_ = 'completed';
create index nf_hi_identitylink_task on act_hi_identitylink (task_id_, type_, group_id_);
create index nf_hi_procinst_business_key on act_hi_procinst (business_key_, id_);
