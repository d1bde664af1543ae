-- The funnel's disqualified step counts the leads sales turned down, not the leads at DISQUALIFIED
-- now: one that came back (a form, an import) is NEW again and was disqualified all the same. Kept
-- on the lead row as V27's stages reached are, stamped the first time the lead is disqualified by
-- the statement that moves it there (lead/LeadRepository, lead/StagesReached), never cleared.
-- The same as db/postgresql/V29, which also adds the column to the funnel's index.
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
