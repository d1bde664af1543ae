-- A stored answer to an intake request holds the lead as it was sent (its email, name, phone):
-- erasing the lead deletes its answers. The lead each answer is about gets a column and an index,
-- so an erasure finds them without reading every answer ever stored. No foreign key: the answer
-- is written in the lead's own transaction and deleted in its erasure's. Filled in by V20.
alter table idempotency_request add column lead_id uuid;
create index idempotency_request_lead on idempotency_request (lead_id);
