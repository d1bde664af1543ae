-- The redelivery's look for engagement its journeys never heard of (V15): only the few untold
-- events are in this index, oldest first, so the look costs the same with a hundred million told.
create index ix_engagement_untold on engagement_event (received_at) where journeys_told = false;
