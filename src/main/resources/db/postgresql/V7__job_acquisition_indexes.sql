-- The job executor's acquisition query asks for the due, unlocked jobs of highest priority, none of
-- whose process instance's exclusive jobs is running. Camunda indexes none of that: with a million
-- journeys waiting on timers every acquisition read all of ACT_RU_JOB (0.6 s), and with 10,000
-- jobs due at once each took 22 ms (benchmarks.md, "Job acquisition"). With these three an
-- acquisition takes about a millisecond whatever the table holds:
--  - idle or a few jobs due: the due ones are found by due date, then sorted by priority;
--  - a backlog: the walk in priority order stops at the first due jobs. Async continuations
--    have no due date and are always due, so nulls come first within a priority;
--  - "is an exclusive job of this journey running?" reads only the locked jobs.
-- Not built concurrently: that waits for every open transaction, the start-up lock's among them
-- (config/StartupLock). Job writes of running nodes wait while they are built, seconds with a
-- million waiting journeys.
create index nf_job_due on act_ru_job (duedate_);
create index nf_job_priority_due on act_ru_job (priority_ desc, duedate_ asc nulls first);
create index nf_job_locked on act_ru_job (process_instance_id_, lock_exp_time_) where lock_owner_ is not null;
