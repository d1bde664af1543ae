-- The redelivery's look for engagement its journeys never heard of (V15): only the few untold
-- events are in this index, oldest first. With 2,000,000 told events an idle look took 0.4 to
-- 1.8 ms with it and 316 ms without (docs/benchmarks.md, "The look for untold engagement").
create index ix_engagement_untold on engagement_event (received_at) where journeys_told = false;
