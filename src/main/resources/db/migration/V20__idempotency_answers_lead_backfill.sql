-- The answers stored before V19 name their lead only at the end of their Location
-- (/api/leads/<id>, after the context path, or after scheme and host before 3 December 2026).
update idempotency_request
set lead_id = cast(substring(location, char_length(location) - 35, 36) as uuid)
where lead_id is null
  and location like '%/api/leads/________-____-____-____-____________';
