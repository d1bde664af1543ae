-- Notices to managers (a missed call SLA), one row per notice and manager, claimed under its key
-- before the email leaves, so a retried job or a node that died mid-send never sends one twice.
create table manager_notice (
    notice_key varchar(400) primary key,
    status     varchar(10) not null,
    created_at timestamp with time zone not null,
    updated_at timestamp with time zone not null
);
