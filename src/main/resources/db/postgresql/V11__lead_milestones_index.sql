-- The period reports read, per lead or touch of a period, the columns of V9 (and who converts
-- the columns it groups by). With them in an index on the creation time PostgreSQL answers every
-- period report from the index alone, however the rows lie in the table. Each index replaces one
-- that was its prefix. Built after V10 filled in the columns, so the backfill does not bloat them.
drop index ix_lead_created;
create index ix_lead_created_milestones on lead (created_at)
    include (stage, first_reached_at, engaged_at, first_call_at, converted_at,
             industry, company_size, source, campaign, fit_grade);

drop index ix_touch_created_content;
create index ix_touch_created_outcomes on touch (created_at)
    include (channel, content, status, opened, clicked, replied, unsubscribed);
