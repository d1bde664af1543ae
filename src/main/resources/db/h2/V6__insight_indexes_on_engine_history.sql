-- The same lookups as db/postgresql/V5 for the insight reports, as plain indexes: H2 has no partial
-- indexes. The engine has created its tables before Flyway runs (config/FlywayAfterEngine).
create index nf_hi_actinst_type_end on act_hi_actinst (act_type_, end_time_);
create index nf_hi_actinst_step_start on act_hi_actinst (act_id_, start_time_);
create index nf_hi_taskinst_step on act_hi_taskinst (proc_inst_id_, task_def_key_, id_);
create index nf_hi_identitylink_task on act_hi_identitylink (task_id_, type_, group_id_);
create index nf_hi_procinst_business_key on act_hi_procinst (business_key_, id_);
