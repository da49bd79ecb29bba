--! Previous: sha1:7fe160ac3edaea68413eebb3e38f19a4f8a9acbb
--! Hash: sha1:2649d631fb9afce1a4810a49f33c41a88a002da6
--! Message: first contact resolution finds repeats among the rows it recomputes

--! split: 0100-first-contact-resolution-from-the-group-s-own-rows.sql
/*
 * FCR recomputation, second step (000015 made its probes stay probes). Every interaction that can
 * be a repeat of a recomputed one is among the rows recomputed: a repeat y of x starts after x
 * ends, and x ended at most the repeat window before the key's moment, so y ended after that too.
 * So the repeats are looked for among the rows the key already fetched (each customer's rows of one
 * type, a handful), not with one more index probe per row: at 700k interactions, a third of the
 * time of a 10k batch went to those probes.
 */
drop function if exists cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]);
create function cx_private.recompute_first_contact_resolution(p_keys cx_private.fcr_key[])
  returns cx_private.metric_bucket[]
  language sql volatile
  set search_path = pg_catalog
  -- Every access below is an index probe per key: the batch touches few customers of a large
  -- table. While a bulk load fills a partition its statistics lag far behind, and the planner then
  -- hash-joins whole partitions, probes through the (interaction_type_id, start_timestamp) index, or
  -- builds a bitmap for each key's two rows; these settings hold the plan to nested index probes.
  set enable_seqscan = off
  set enable_bitmapscan = off
  set enable_hashjoin = off
  set enable_mergejoin = off
  as $$
    with window_setting as (
      select coalesce(cx.setting('fcr_repeat_window')::interval, interval '7 days') as repeat_window
    ),
    keys as (
      select k.customer_id, k.interaction_type_id, min(k.since) as since
        from unnest(p_keys) k
       group by k.customer_id, k.interaction_type_id
    ),
    -- the rows whose FCR the keys can change, and with them every row that can be their repeat;
    -- interactions without a type form their own group ("is true" keeps that test out of the
    -- index conditions: customer_id leads the probe)
    affected as (
      select x.customer_id, x.interaction_type_id, x.interaction_id, x.start_timestamp,
             coalesce(x.end_timestamp, x.start_timestamp) as ended, x.resolution_status
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and x.interaction_type_id = k.interaction_type_id
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
      union all
      select x.customer_id, x.interaction_type_id, x.interaction_id, x.start_timestamp,
             coalesce(x.end_timestamp, x.start_timestamp), x.resolution_status
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and (x.interaction_type_id is null) is true
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
       where k.interaction_type_id is null
    ),
    grouped as (
      select a.*,
             array_agg(a.start_timestamp) over same_customer_and_type as group_starts,
             array_agg(a.interaction_id) over same_customer_and_type as group_ids
        from affected a
      window same_customer_and_type as (partition by a.customer_id, a.interaction_type_id)
    ),
    candidates as (
      select g.customer_id, g.interaction_id, g.start_timestamp,
             g.resolution_status = 'resolved' and not exists (
               select 1
                 from unnest(g.group_starts, g.group_ids) y(start_timestamp, interaction_id)
                where y.start_timestamp >= g.ended
                  and y.start_timestamp < g.ended + w.repeat_window
                  and y.interaction_id <> g.interaction_id
             ) as fcr
        from grouped g
       cross join window_setting w
    ),
    changed as (
      -- updated_at by hand too: the bulk path runs this with row triggers off
      update cx.customer_interactions ci
         set first_contact_resolution = c.fcr, updated_at = now()
        from candidates c
       where ci.customer_id = c.customer_id and ci.interaction_id = c.interaction_id and ci.start_timestamp = c.start_timestamp
         and ci.first_contact_resolution is distinct from c.fcr
      returning ci.channel_id, ci.primary_agent_id, ci.start_timestamp
    ),
    zone as materialized (select cx_private.reporting_zone() as zone) -- once, not once per row
    select coalesce(array_agg(b.bucket), '{}')
      from zone z
     cross join changed ch
     cross join lateral (values
       (('channel', cx_private.day_in_zone(ch.start_timestamp, z.zone), ch.channel_id)::cx_private.metric_bucket),
       (('agent', cx_private.day_in_zone(ch.start_timestamp, z.zone), ch.primary_agent_id)::cx_private.metric_bucket)
     ) b(bucket)
  $$;
comment on function cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]) is
  'Recomputes first_contact_resolution of every interaction of the given customers and types whose repeat window reaches the given moments; returns the metric buckets of the interactions it changed (the update trigger logs them too, when triggers are on).';
