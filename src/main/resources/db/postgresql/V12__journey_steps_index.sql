-- Journey steps counts the open activity instances of the kinds a journey waits in. V6 indexed all
-- open activity instances: with a million waiting journeys two million entries, half of them the
-- cadence subprocesses the report leaves out, which PostgreSQL read, filtered and sorted (1.4 s
-- after a burst of fired timers, docs/benchmarks.md section 5). This index holds only the kinds it
-- counts, in the order it groups them. The list is InsightQueries.WAITING_KINDS: the report's
-- condition must name the same kinds for PostgreSQL to use the index.
drop index nf_hi_actinst_waiting;
create index nf_hi_actinst_waiting_step on act_hi_actinst (proc_def_key_, act_id_, act_type_, act_name_)
    where end_time_ is null
      and act_type_ in ('userTask', 'serviceTask', 'intermediateTimer', 'eventBasedGateway',
                        'intermediateMessageCatch', 'noneEndEvent', 'boundaryTimer');
