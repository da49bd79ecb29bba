/* @name CreateAgent */
with created as (
  insert into cx.agents
    (agent_code, agent_name, agent_type, supervisor_id, team_name, specialization, skill_level, languages,
     work_schedule, current_status, status_changed_at, max_concurrent_chats, hire_date)
  values
    (:agentCode!, :agentName!, :agentType!, :supervisorId, :teamName, :specialization, :skillLevel,
     coalesce(:languages::text[], array['en']), coalesce(:workSchedule::jsonb, '{}'), coalesce(:currentStatus, 'offline'),
     coalesce(:statusChangedAt::timestamptz, now()), coalesce(:maxConcurrentChats, 1), :hireDate)
  returning agent_id, current_status, status_changed_at
)
-- a new agent's status opens its first interval
select c.agent_id as "agentId!"
  from created c
 cross join lateral cx_private.open_status_intervals(array[c.agent_id], array[c.current_status], array[c.status_changed_at]) o;

/* @name SetAgentStatus */
select s.agent_id as "agentId!", s.current_status as "currentStatus!", s.status_changed_at as "statusChangedAt!"
  from cx.set_agent_statuses(array[:agentId!::uuid], array[:currentStatus!::text], array[:statusChangedAt::timestamptz]) s;

/* @name UpdateAgent */
update cx.agents
   set agent_name = coalesce(:agentName, agent_name),
       agent_type = coalesce(:agentType, agent_type),
       supervisor_id = coalesce(:supervisorId, supervisor_id),
       team_name = coalesce(:teamName, team_name),
       specialization = coalesce(:specialization, specialization),
       skill_level = coalesce(:skillLevel, skill_level),
       languages = coalesce(:languages::text[], languages),
       work_schedule = coalesce(:workSchedule::jsonb, work_schedule),
       max_concurrent_chats = coalesce(:maxConcurrentChats, max_concurrent_chats),
       hire_date = coalesce(:hireDate, hire_date),
       is_active = coalesce(:isActive, is_active)
 where agent_id = :agentId!
returning agent_id as "agentId!", agent_code as "agentCode!", agent_name as "agentName!", agent_type as "agentType!",
          supervisor_id as "supervisorId", team_name as "teamName", specialization as "specialization",
          skill_level as "skillLevel", languages as "languages!", average_handling_seconds as "averageHandlingSeconds",
          satisfaction_score as "satisfactionScore", escalation_rate as "escalationRate", work_schedule as "workSchedule!",
          current_status as "currentStatus!", status_changed_at as "statusChangedAt!",
          max_concurrent_chats as "maxConcurrentChats!", hire_date as "hireDate", is_active as "isActive!",
          performance_updated_at as "performanceUpdatedAt", created_at as "createdAt!", updated_at as "updatedAt!";

/* @name GetAgents */
select agent_id as "agentId!", agent_code as "agentCode!", agent_name as "agentName!", agent_type as "agentType!",
       supervisor_id as "supervisorId", team_name as "teamName", specialization as "specialization",
       skill_level as "skillLevel", languages as "languages!", average_handling_seconds as "averageHandlingSeconds",
       satisfaction_score as "satisfactionScore", escalation_rate as "escalationRate", work_schedule as "workSchedule!",
       current_status as "currentStatus!", status_changed_at as "statusChangedAt!",
       max_concurrent_chats as "maxConcurrentChats!", hire_date as "hireDate", is_active as "isActive!",
       performance_updated_at as "performanceUpdatedAt", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.agents
 where (cardinality(:agentIds!::uuid[]) = 0 or agent_id = any(:agentIds!::uuid[]))
   and (:agentType::text is null or agent_type = :agentType)
 order by agent_code
 limit :limit!;

/* @name AgentStatusHistory */
select status as "status!", started_at as "startedAt!", ended_at as "endedAt", source as "source!"
  from cx.agent_status_history
 where agent_id = :agentId! and (ended_at is null or ended_at > :from!) and started_at < :to!
 order by started_at;
