--! Previous: sha1:c4a12e2bd45b7855c43bb38cef141218c43323d4
--! Hash: sha1:265cee6b2b97cda89b691afd0d7762f666dae2ed
--! Message: Derived columns repaired after a manual correction

--! split: 0100-derived-columns-repaired-after-a-manual-correction.sql
/*
 * With the rules in write functions, a correction the owner writes straight into a table (an
 * UPDATE of feedback, a DELETE of an outcome) no longer recomputes what follows from it. The owner
 * runs cx.recompute_derived(customer ids) afterwards: it recomputes, for those customers, what the
 * write functions that have taken over the triggers' rules derive. It grows with them (issue 15).
 */
drop function if exists cx.recompute_derived(uuid[]);
create function cx.recompute_derived(p_customer_ids uuid[])
  returns table (interactions integer, outcome_buckets integer)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
  v_buckets cx_private.metric_bucket[];
  v_zone text := cx_private.reporting_zone();
begin
  -- the interactions' CSAT, NPS and CES from their latest answers (cx.record_feedback)
  select array_agg((ci.customer_id, ci.interaction_id, ci.start_timestamp)::cx_private.interaction_key)
    into v_keys
    from cx.customer_interactions ci
   where ci.customer_id = any(p_customer_ids);
  if v_keys is not null then
    perform cx_private.recompute_interaction_scores(v_keys);
  end if;
  -- the buckets of their outcomes, by the day recorded and the interaction's channel (cx.record_outcomes)
  select array_agg(distinct ('outcome', cx_private.day_in_zone(o.recorded_at, v_zone), ci.channel_id)::cx_private.metric_bucket)
    into v_buckets
    from cx.interaction_outcomes o
    join cx.customer_interactions ci
      on ci.customer_id = o.customer_id and ci.interaction_id = o.interaction_id
     and ci.start_timestamp = o.interaction_start_timestamp
   where o.customer_id = any(p_customer_ids);
  if v_buckets is not null then
    perform cx_private.log_metric_buckets(v_buckets);
  end if;
  return query select coalesce(cardinality(v_keys), 0), coalesce(cardinality(v_buckets), 0);
end
$$;
comment on function cx.recompute_derived(uuid[]) is
  'After the owner corrected rows straight in the tables: recomputes for the given customers what the write functions derive (the interactions'' scores from their latest feedback, and logs their outcomes'' buckets for the refresh). Returns how many interactions and outcome buckets it went over. An outcome the owner deleted leaves its bucket to cx.rebuild_daily_metrics().';
