-- When a redelivery look last tried an untold event (EngagementRedelivery). Every node looks at
-- every interval, and each look used to count a try: with several nodes an event that cannot be
-- told was given up after a fraction of the intended time (10 looks: 5 minutes with two nodes,
-- not 10). A look now tries an event only when no look of any node has tried it within the
-- interval, and claims the try by setting this in the update that counts it. Nullable, without a
-- default: PostgreSQL adds it without rewriting the table, and events stored before count as
-- never tried.
alter table engagement_event add column last_tried_at timestamp with time zone;
