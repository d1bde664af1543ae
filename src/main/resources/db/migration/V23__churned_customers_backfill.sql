-- Customers who told the renewal call they are not renewing before Mark churned existed stayed at
-- CUSTOMER: those whose latest customer journey ended at "Not renewing" become CHURNED, as the
-- journey now leaves them. A churned customer who signed again has a later journey and stays a
-- customer. Reads the engine's history, which Flyway finds in place (config/FlywayAfterEngine);
-- journeys whose history the cleanup removed already are not found.
update lead set stage = 'CHURNED'
where stage = 'CUSTOMER'
  and exists (
        select 1 from ACT_HI_PROCINST p
        where p.BUSINESS_KEY_ = cast(lead.id as varchar(36))
          and p.PROC_DEF_KEY_ = 'customer-nurture'
          and p.END_ACT_ID_ = 'EndEvent_NotRenewing'
          and not exists (
                select 1 from ACT_HI_PROCINST later
                where later.BUSINESS_KEY_ = p.BUSINESS_KEY_
                  and later.PROC_DEF_KEY_ = 'customer-nurture'
                  and later.START_TIME_ > p.START_TIME_));
