-- Tasklist reads a task's history (HISTORIC_TASK, resource type 19) to add or show its comments.
-- With enableHistoricInstancePermissions the engine grants READ (2) on it to each group and user it
-- grants the task (TASK, 7), as it grants the task; tasks open before this release get the same
-- grant here, with the journey's root for the history cleanup, which removes the grant with the
-- task's history (no removal time while the journey runs, as the engine's "end" strategy does).
insert into ACT_RU_AUTHORIZATION (ID_, REV_, TYPE_, GROUP_ID_, USER_ID_, RESOURCE_TYPE_, RESOURCE_ID_, PERMS_,
        ROOT_PROC_INST_ID_)
select task_grant.ID_ || '-history', 1, task_grant.TYPE_, task_grant.GROUP_ID_, task_grant.USER_ID_, 19,
       task_grant.RESOURCE_ID_, 2, execution.ROOT_PROC_INST_ID_
from ACT_RU_AUTHORIZATION task_grant
join ACT_RU_TASK task on task.ID_ = task_grant.RESOURCE_ID_
left join ACT_RU_EXECUTION execution on execution.ID_ = task.PROC_INST_ID_
where task_grant.TYPE_ = 1
  and task_grant.RESOURCE_TYPE_ = 7
  and not exists (
        select 1 from ACT_RU_AUTHORIZATION history_grant
        where history_grant.TYPE_ = 1
          and history_grant.RESOURCE_TYPE_ = 19
          and history_grant.RESOURCE_ID_ = task_grant.RESOURCE_ID_
          and (history_grant.GROUP_ID_ = task_grant.GROUP_ID_ or history_grant.USER_ID_ = task_grant.USER_ID_));
