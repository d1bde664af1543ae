-- Every node looks, now and then, for engagement stored but never told to the lead's journeys
-- (its request died in between: the node killed, the database gone for a moment, the journey
-- changed by others on every attempt) and tells it (EngagementRedelivery). From this version on
-- every event is stored untold until its journeys are told, not only those with a dedupe key
-- (V14). This counts the looks that tried an event, so that one which cannot be told (a type this
-- version does not know, an engine error) is given up after a few instead of being tried for ever.
alter table engagement_event add column tell_attempts smallint default 0 not null;
