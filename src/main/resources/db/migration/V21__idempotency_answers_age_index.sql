-- Stored answers are deleted once older than NURTURE_IDEMPOTENCY_RETENTION (IdempotencyExpiry,
-- each hour on every node): by their age, from this index, without reading the younger ones.
create index idempotency_request_created on idempotency_request (created_at);
