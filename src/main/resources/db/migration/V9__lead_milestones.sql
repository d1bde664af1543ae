-- What the period reports ask of every lead and every touch, kept on their rows as it happens,
-- so that a report reads one row per lead or touch instead of looking up each one's touches,
-- engagement and call tasks (with a million journeys the 90-day funnel visited 2.6 M index pages
-- and took 1.5 s; see docs/benchmarks.md, section 5). Written in the same transaction by the code
-- that records what they summarise. V10 fills them in for what was stored before.
--
-- A lead's milestones:
--   first_reached_at  creation time of its earliest touch that reached it (RECORDED, SENT,
--                     DELIVERED), kept by the touch ledger; a bounce after SENT takes it back
--   engaged_at        its earliest engagement other than a re-conversion or an opt-out
--   converted_at      its earliest conversion
--   first_call_at     when a rep first completed its "Call new lead" task
alter table lead add column first_reached_at timestamp with time zone;
alter table lead add column engaged_at timestamp with time zone;
alter table lead add column converted_at timestamp with time zone;
alter table lead add column first_call_at timestamp with time zone;

-- What a touch drew (engagement events that name it): an open, a click, a reply (email or SMS),
-- an opt-out (unsubscribe link or SMS STOP).
alter table touch add column opened boolean default false not null;
alter table touch add column clicked boolean default false not null;
alter table touch add column replied boolean default false not null;
alter table touch add column unsubscribed boolean default false not null;
