-- The job executor's acquisition lookups of db/postgresql/V7 (see there), without the partial
-- index on locked jobs: H2 has no partial indexes, and a try-out on H2 holds few jobs.
create index nf_job_due on act_ru_job (duedate_);
create index nf_job_priority_due on act_ru_job (priority_ desc, duedate_ asc nulls first);
