-- The funnel's later steps count the leads that reached them, not the leads at that stage now:
-- a customer who churned was a customer, an SQL disqualified later was an SQL. Kept on the lead
-- row as V9's milestones are, stamped the first time the lead reaches the stage by the statement
-- that moves it there (lead/LeadRepository, lead/StagesReached: SQL implies MQL, a customer or a
-- churned customer both), never cleared, not even when a lead comes back and starts again at NEW.
-- The same as db/h2/V27, and the columns added to the funnel's index (V11). Nullable columns
-- without a default: PostgreSQL adds them without rewriting the table.
alter table lead add column if not exists mql_at timestamp with time zone;
alter table lead add column if not exists sql_at timestamp with time zone;
alter table lead add column if not exists customer_at timestamp with time zone;

-- The stages each lead reached, filled in for what was stored before. Each statement writes only
-- the leads that have something to fill in, and keeps a time already there, so the file may run
-- again (InsightScenarios does). Customers first, then SQLs, then MQLs, as each implies the next:
--   customer_at  stage CUSTOMER or CHURNED (a churned lead was a customer), or a conversion kept
--                (V9's converted_at, which a returning lead keeps): when it first converted, else
--                when its first customer journey started
--   sql_at       stage SQL, a customer, or a journey that passed "Mark sales-qualified": when it
--                first did, else when it became a customer
--   mql_at       stage MQL, an SQL, or a journey that passed "Mark marketing-qualified": when it
--                first did, else when it became an SQL
-- Where nothing kept tells the time (the cleanup removed the journey's history), the lead's
-- creation stands in: the funnel counts the leads, no report reads these times. A lead that left
-- after reaching a stage (unsubscribed, disqualified) is found only through its journey's history:
-- one whose history the cleanup removed already counts only from its stage. The history is read
-- per lead by the engine's own indexes on the business key and on (process instance, activity),
-- as V10 read each lead's first call; it is in place before Flyway runs (config/FlywayAfterEngine).
update lead set customer_at = coalesce(converted_at,
        (select min(p.START_TIME_) from ACT_HI_PROCINST p
         where p.BUSINESS_KEY_ = cast(lead.id as varchar(36)) and p.PROC_DEF_KEY_ = 'customer-nurture'),
        created_at)
    where customer_at is null and (stage in ('CUSTOMER', 'CHURNED') or converted_at is not null);

update lead set sql_at = coalesce(
        (select min(a.END_TIME_) from ACT_HI_PROCINST p join ACT_HI_ACTINST a on a.PROC_INST_ID_ = p.ID_
         where p.BUSINESS_KEY_ = cast(lead.id as varchar(36)) and a.ACT_ID_ = 'Task_MarkSalesQualified'
           and a.END_TIME_ is not null),
        customer_at, created_at)
    where sql_at is null
      and (stage = 'SQL' or customer_at is not null
           or exists (select 1 from ACT_HI_PROCINST p join ACT_HI_ACTINST a on a.PROC_INST_ID_ = p.ID_
                      where p.BUSINESS_KEY_ = cast(lead.id as varchar(36)) and a.ACT_ID_ = 'Task_MarkSalesQualified'
                        and a.END_TIME_ is not null));

update lead set mql_at = coalesce(
        (select min(a.END_TIME_) from ACT_HI_PROCINST p join ACT_HI_ACTINST a on a.PROC_INST_ID_ = p.ID_
         where p.BUSINESS_KEY_ = cast(lead.id as varchar(36)) and a.ACT_ID_ = 'Task_MarkMarketingQualified'
           and a.END_TIME_ is not null),
        sql_at, created_at)
    where mql_at is null
      and (stage = 'MQL' or sql_at is not null
           or exists (select 1 from ACT_HI_PROCINST p join ACT_HI_ACTINST a on a.PROC_INST_ID_ = p.ID_
                      where p.BUSINESS_KEY_ = cast(lead.id as varchar(36)) and a.ACT_ID_ = 'Task_MarkMarketingQualified'
                        and a.END_TIME_ is not null));

-- The funnel reads the new columns from the index on the creation time, as V11 made it for the
-- other milestones: one index entry per lead of the period, however the rows lie in the table.
-- Built again after the backfill, so the backfill does not bloat it. Writes to lead wait while it
-- is built (V11 built it and the touch index in 4.6 s with 1.43 M leads).
drop index if exists ix_lead_created_milestones;
create index ix_lead_created_milestones on lead (created_at)
    include (stage, first_reached_at, engaged_at, first_call_at, converted_at, mql_at, sql_at, customer_at,
             industry, company_size, source, campaign, fit_grade);
