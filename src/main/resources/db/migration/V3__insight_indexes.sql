-- The insight reports look up engagement per touch and touches per period.
create index ix_engagement_touch on engagement_event (touch_id, type);
create index ix_touch_created on touch (created_at);
create index ix_lead_created on lead (created_at);
