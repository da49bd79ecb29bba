--! Previous: sha1:bf0737d1b9f7b76d6fae484317f3b36e556333d9
--! Hash: sha1:c4a12e2bd45b7855c43bb38cef141218c43323d4
--! Message: Feedback is recorded by a write function

--! split: 0100-feedback-is-recorded-by-a-write-function.sql
/*
 * Feedback about an interaction must name an existing one, and the interaction's CSAT, NPS and CES
 * follow its latest answers. Both were statement triggers on customer_feedback, which on Citus run
 * on each shard, where the interactions cannot be queried. cx.record_feedback does both for a batch;
 * the client and the simulator call it. The batch is a JSON array of rows keyed by the table's
 * column names (a row has lists and JSON of its own: topics, answers), read with the table's row
 * type, so a value of the wrong type is refused by its column. The owner may still write the table
 * directly; then nothing is checked or rolled up (cx_private.recompute_interaction_scores repairs).
 */
drop trigger if exists _100_interaction_exists_after_insert on cx.customer_feedback;
drop trigger if exists _100_interaction_exists_after_update on cx.customer_feedback;
drop trigger if exists _500_roll_up_after_delete on cx.customer_feedback;
drop trigger if exists _500_roll_up_after_insert on cx.customer_feedback;
drop trigger if exists _500_roll_up_after_update on cx.customer_feedback;
drop function if exists cx_private.tg_customer_feedback__roll_up();
drop function if exists cx.record_feedback(jsonb);

create function cx.record_feedback(p_feedback jsonb)
  returns table (ord integer, feedback_id uuid, submitted_at timestamptz)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.customer_feedback[];
  v_missing record;
  v_keys cx_private.interaction_key[];
  v_now timestamptz := now();
begin
  if p_feedback is null or jsonb_typeof(p_feedback) <> 'array' then
    raise exception 'the feedback must be a JSON array of rows, got %', coalesce(jsonb_typeof(p_feedback), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  -- each row read with the table's type; what a row leaves out (or gives as null) takes the
  -- default; when it was written is the database's to say
  select array_agg(jsonb_populate_record(null::cx.customer_feedback,
                     jsonb_build_object('submitted_at', v_now, 'feedback_topics', '[]'::jsonb, 'answers', '{}'::jsonb,
                                        'follow_up_status', 'not_required')
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('feedback_id', coalesce(e.value ->> 'feedback_id', cx.uuid_generate_v7()::text),
                                           'created_at', v_now, 'updated_at', v_now))
                   order by e.ord)
    into v_rows
    from jsonb_array_elements(p_feedback) with ordinality e(value, ord);
  if v_rows is null then
    return;
  end if;

  -- the interactions named must exist: the first row naming a missing one is named, then the keys
  -- are locked as a foreign key would lock them
  select (u.ordinality - 1)::integer as ord, u.interaction_id, u.customer_id, u.interaction_start_timestamp into v_missing
    from unnest(v_rows) with ordinality u
   where u.interaction_id is not null
     and not exists (select 1 from cx.customer_interactions ci
                      where ci.customer_id = u.customer_id and ci.interaction_id = u.interaction_id
                        and ci.start_timestamp = u.interaction_start_timestamp)
   order by u.ordinality
   limit 1;
  if found then
    raise exception 'interaction % (customer %, started %) does not exist',
        v_missing.interaction_id, v_missing.customer_id, v_missing.interaction_start_timestamp
      using errcode = 'foreign_key_violation', column = 'interaction_id',
            constraint = 'customer_feedback_interaction_fkey',
            detail = cx_private.staged_row_position(v_missing.ord, null);
  end if;
  select array_agg(distinct (u.customer_id, u.interaction_id, u.interaction_start_timestamp)::cx_private.interaction_key)
    into v_keys
    from unnest(v_rows) u
   where u.interaction_id is not null;
  perform cx_private.require_interactions(v_keys, 'customer_feedback_interaction_fkey');

  insert into cx.customer_feedback select * from unnest(v_rows);

  -- the interactions' scores follow their latest answers
  if v_keys is not null then
    perform cx_private.recompute_interaction_scores(v_keys);
  end if;

  return query
    select (u.ordinality - 1)::integer, u.feedback_id, u.submitted_at
      from unnest(v_rows) with ordinality u
     order by u.ordinality;
end
$$;
comment on function cx.record_feedback(jsonb) is
  'Records a batch of feedback, a JSON array of rows keyed by customer_feedback''s column names (submitted now, no topics, no answers, no follow-up by default): checks that each interaction named exists (DETAIL names the batch row), inserts them, and sets the interactions'' CSAT, NPS and CES to their latest answers. Returns each row''s feedback_id and submitted_at by its position (0-based). Every writer records feedback through it.';
