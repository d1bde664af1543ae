-- ACT_RU_JOB changes all the time (a fired timer deletes its row, the next wait inserts one) and
-- its due dates decide the acquisition's plan. PostgreSQL analyses a table after a tenth of its
-- rows changed: with a million waiting timers, 100,000 changes. Until then the planner does not
-- know that 10,000 timers have fallen due, reads every due job and sorts them (10 ms a look)
-- instead of walking the priority index and stopping at the first six. Analysed after 1 % and
-- vacuumed after 2 %, the statistics follow a burst of due timers within a minute.
alter table act_ru_job set (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.02);
