-- The milestones and touch outcomes of V9 for what was stored before it, from the same records
-- the reports read until then. Each statement writes only the rows that have something to fill
-- in. It holds the rows it writes until it commits, and takes minutes with a million leads
-- (docs/benchmarks.md, section 5, times it: the scale benchmark runs this file on its data).
update lead set first_reached_at = (
        select min(t.created_at) from touch t
        where t.lead_id = lead.id and t.status in ('RECORDED', 'SENT', 'DELIVERED'))
    where exists (select 1 from touch t
                  where t.lead_id = lead.id and t.status in ('RECORDED', 'SENT', 'DELIVERED'));

update lead set engaged_at = (
        select min(e.occurred_at) from engagement_event e
        where e.lead_id = lead.id and e.type not in ('RECONVERSION', 'UNSUBSCRIBED', 'SMS_OPTED_OUT'))
    where exists (select 1 from engagement_event e
                  where e.lead_id = lead.id and e.type not in ('RECONVERSION', 'UNSUBSCRIBED', 'SMS_OPTED_OUT'));

update lead set converted_at = (
        select min(e.occurred_at) from engagement_event e where e.lead_id = lead.id and e.type = 'CONVERTED')
    where exists (select 1 from engagement_event e where e.lead_id = lead.id and e.type = 'CONVERTED');

update lead set first_call_at = (
        select min(k.END_TIME_) from ACT_HI_PROCINST p join ACT_HI_TASKINST k on k.PROC_INST_ID_ = p.ID_
        where p.BUSINESS_KEY_ = cast(lead.id as varchar(36)) and k.TASK_DEF_KEY_ = 'Task_CallNewLead'
          and k.DELETE_REASON_ = 'completed' and k.END_TIME_ is not null)
    where exists (select 1 from ACT_HI_PROCINST p join ACT_HI_TASKINST k on k.PROC_INST_ID_ = p.ID_
                  where p.BUSINESS_KEY_ = cast(lead.id as varchar(36)) and k.TASK_DEF_KEY_ = 'Task_CallNewLead'
                    and k.DELETE_REASON_ = 'completed' and k.END_TIME_ is not null);

update touch set
        opened = exists (select 1 from engagement_event e where e.touch_id = touch.id and e.type = 'OPENED'),
        clicked = exists (select 1 from engagement_event e where e.touch_id = touch.id and e.type = 'CLICKED'),
        replied = exists (select 1 from engagement_event e
                          where e.touch_id = touch.id and e.type in ('REPLIED', 'SMS_REPLIED')),
        unsubscribed = exists (select 1 from engagement_event e
                               where e.touch_id = touch.id and e.type in ('UNSUBSCRIBED', 'SMS_OPTED_OUT'))
    where exists (select 1 from engagement_event e where e.touch_id = touch.id
                  and e.type in ('OPENED', 'CLICKED', 'REPLIED', 'SMS_REPLIED', 'UNSUBSCRIBED', 'SMS_OPTED_OUT'));
