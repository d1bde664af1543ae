-- When a customer left, kept on its row as it becomes CHURNED (the renewal call's "not renewing",
-- or customer success recording a customer who left mid-contract), so that customer success and
-- the CRM can read it from the lead rather than from the history of whichever journey ended.
-- A churned customer who signs again keeps it: the time it last churned.
alter table lead add column churned_at timestamp with time zone;

-- Customers churned before this release left at "Not renewing" (V23 marked them): the end of
-- their latest such journey. Journeys whose history the cleanup removed already are not found,
-- and those leads keep no time. Reads the engine's history, which Flyway finds in place
-- (config/FlywayAfterEngine); writes only the churned leads.
update lead set churned_at = (
        select max(p.END_TIME_) from ACT_HI_PROCINST p
        where p.BUSINESS_KEY_ = cast(lead.id as varchar(36))
          and p.PROC_DEF_KEY_ = 'customer-nurture'
          and p.END_ACT_ID_ = 'EndEvent_NotRenewing')
    where stage = 'CHURNED';
