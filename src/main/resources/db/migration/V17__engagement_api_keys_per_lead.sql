-- An integration's eventId identified an event across every lead: the same id pushed for a second
-- lead was answered as a repeat and dropped (and, if the first was still untold, told to the
-- second lead's journeys instead). From this version on the key is the lead's and the eventId,
-- as the keys of SMS and email replies already were; the events stored before get the same form,
-- so a repeat of one of them is still recognised.
update engagement_event
set dedupe_key = 'api:' || cast(lead_id as varchar(36)) || ':' || substring(dedupe_key, 5)
where dedupe_key like 'api:%';
