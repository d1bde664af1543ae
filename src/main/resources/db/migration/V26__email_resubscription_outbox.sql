-- The email asking a lead to confirm it wants email again (V24) leaves from its row, as an
-- outbox: never on the form's request, but after its commit, by whichever node claims it, and again
-- with a growing wait while the SMTP server fails, until it is sent or its link expires. tries
-- counts the claims: a node claims a try by raising it from the count it read, so of several
-- nodes one sends. next_try_at is when the row may be tried (again) by a node's look. Both are
-- new columns of a small table; tries has a constant default, so PostgreSQL adds it without
-- rewriting the table. Rows stored before have no next_try_at: their own node sent them right
-- after its commit, so a look takes an ASKED one only once that node must have given up on it.
alter table email_resubscription add column tries integer default 0 not null;
alter table email_resubscription add column next_try_at timestamp with time zone;
create index ix_email_resubscription_due on email_resubscription (status, next_try_at);
