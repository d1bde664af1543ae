-- Whether the lead's journeys have heard of an engagement event. The event is committed before
-- the journeys are told, so a failure in between (the database gone for a moment, the node
-- killed) leaves it stored and untold, and the client, answered 503, sends it again under the
-- same dedupe key. Such a repeat is then not dropped as a replay: the journeys are told. Only
-- events that can be sent again (with a dedupe key) start untold; the mark is set in the
-- transaction that tells the journeys. Events stored before this column count as told.
alter table engagement_event add column journeys_told boolean default true not null;
