--! Previous: sha1:728ba73047d2b3df38565b3cc9cfc0f80491d7b4
--! Hash: sha1:68bbfc7c034ad55e9e57684ee1f18f22c6eb7971
--! Message: steps look up their interaction's channel only when a queue or human step appears, goes or moves

--! split: 0100-steps-look-up-their-channel-only-when-the-rollup-reads-them.sql
/*
 * Every statement on the steps looked up its interactions (a join to the partitioned interactions
 * table) to log their (day, channel) buckets. That lookup was about half of what the refresh
 * machinery cost a writer: with 8 writers, a contact of a bot step and a human step recorded 97
 * contacts/s with the machinery and 115 without, 107 without the lookup. The channel rollup reads
 * two things of the steps, whether an interaction has a queue step and whether it has a human
 * step; everything else it reads from the interaction's row, whose own update (the step totals)
 * logs the channel day. So only queue and human steps that appear, go, or change their type or
 * interaction look the interaction up now; the agent days are logged for every step as before.
 */
create or replace function cx_private.tg_interaction_steps__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
  v_steps cx_private.step_key[] := '{}';
  -- interactions whose "has a queue step" or "has a human step" may have changed
  v_flag_changes cx_private.interaction_key[] := '{}';
  v_buckets cx_private.metric_bucket[];
begin
  -- a transition table exists only for the events that have it: read each in its own branch
  if tg_op = 'INSERT' then
    select coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp, r.agent_id, r.started_at)::cx_private.step_key), '{}'),
           coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp)::cx_private.interaction_key)
                      filter (where r.step_type in ('queue', 'human')), '{}')
      into v_steps, v_flag_changes
      from new_rows r;
  elsif tg_op = 'DELETE' then
    select coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp, r.agent_id, r.started_at)::cx_private.step_key), '{}'),
           coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp)::cx_private.interaction_key)
                      filter (where r.step_type in ('queue', 'human')), '{}')
      into v_steps, v_flag_changes
      from old_rows r;
  else
    select coalesce(array_agg(k), '{}') into v_steps from (
      select (r.customer_id, r.interaction_id, r.interaction_start_timestamp, r.agent_id, r.started_at)::cx_private.step_key as k from new_rows r
      union all
      select (r.customer_id, r.interaction_id, r.interaction_start_timestamp, r.agent_id, r.started_at)::cx_private.step_key from old_rows r
    ) x;
    select coalesce(array_agg(k), '{}') into v_flag_changes from (
      select x.k
        from new_rows n
        join old_rows o on o.customer_id = n.customer_id and o.step_id = n.step_id
       cross join lateral (values ((n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key),
                                  ((o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key)) x(k)
       where (n.step_type in ('queue', 'human') or o.step_type in ('queue', 'human'))
         and (n.step_type, n.interaction_id, n.interaction_start_timestamp)
             is distinct from (o.step_type, o.interaction_id, o.interaction_start_timestamp)
    ) changed;
  end if;
  v_buckets := array(
    select ('agent', cx_private.day_in_zone(t.started_at, v_zone), t.agent_id)::cx_private.metric_bucket
      from unnest(v_steps) t where t.agent_id is not null);
  if cardinality(v_flag_changes) > 0 then
    -- a statement of its own: the lookup is not even started for a statement without such steps
    v_buckets := v_buckets || array(
      select ('channel', cx_private.day_in_zone(i.start_timestamp, v_zone), i.channel_id)::cx_private.metric_bucket
        from (select distinct k.customer_id, k.interaction_id, k.start_timestamp from unnest(v_flag_changes) k) k
        join cx.customer_interactions i
          on i.customer_id = k.customer_id and i.interaction_id = k.interaction_id
         and i.start_timestamp = k.start_timestamp);
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
  return null;
end
$$;
comment on function cx_private.tg_interaction_steps__log_metric_buckets() is
  'AFTER each statement on interaction_steps: logs the (day, agent) buckets of the steps, and the (day, channel) buckets of the interactions whose queue or human steps appeared, went or changed type or interaction (the only step facts the channel rollup reads; the step totals'' update of the interaction logs the rest).';
