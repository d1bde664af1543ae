-- The redelivery's look for untold engagement (see db/postgresql/V16); H2 has no partial indexes.
create index ix_engagement_untold on engagement_event (journeys_told, received_at);
