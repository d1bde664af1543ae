-- The funnel's disqualified step counts the leads sales turned down, not the leads at DISQUALIFIED
-- now: one that came back (a form, an import) is NEW again and was disqualified all the same. Kept
-- on the lead row as V27's stages reached are, stamped the first time the lead is disqualified by
-- the statement that moves it there (lead/LeadRepository, lead/StagesReached), never cleared.
-- The same as db/h2/V29, and the column added to the funnel's index (V27). Nullable, without a
-- default: PostgreSQL adds it without rewriting the table.
alter table lead add column if not exists disqualified_at timestamp with time zone;

-- The leads disqualified before, filled in: those at DISQUALIFIED, and those whose journey passed
-- a step that disqualifies (a rep's call ended "not interested", or sales disqualified it through
-- the API): when a journey first did, else, where nothing kept tells the time (the cleanup removed
-- the journey's history, or no journey ran), when the lead was captured. Writes only the leads with
-- something to fill in, so the file may run again (InsightScenarios does). The history is read per
-- lead through the engine's own indexes, as V27 reads it.
update lead set disqualified_at = coalesce(
        (select min(a.END_TIME_) from ACT_HI_PROCINST p join ACT_HI_ACTINST a on a.PROC_INST_ID_ = p.ID_
         where p.BUSINESS_KEY_ = cast(lead.id as varchar(36))
           and a.ACT_ID_ in ('Task_MarkNotInterested', 'Task_MarkDisqualified') and a.END_TIME_ is not null),
        created_at)
    where disqualified_at is null
      and (stage = 'DISQUALIFIED'
           or exists (select 1 from ACT_HI_PROCINST p join ACT_HI_ACTINST a on a.PROC_INST_ID_ = p.ID_
                      where p.BUSINESS_KEY_ = cast(lead.id as varchar(36))
                        and a.ACT_ID_ in ('Task_MarkNotInterested', 'Task_MarkDisqualified')
                        and a.END_TIME_ is not null));

-- The funnel reads the new column from the index on the creation time, as V27 made it for the
-- other stages reached. Built again after the backfill, so the backfill does not bloat it; writes
-- to lead wait while it is built. Running V27 again builds it without the column: run this file
-- after it.
drop index if exists ix_lead_created_milestones;
create index ix_lead_created_milestones on lead (created_at)
    include (stage, first_reached_at, engaged_at, first_call_at, converted_at, mql_at, sql_at, customer_at,
             disqualified_at, industry, company_size, source, campaign, fit_grade);
