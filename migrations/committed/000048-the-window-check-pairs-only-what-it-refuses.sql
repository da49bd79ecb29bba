--! Previous: sha1:cd681bd4971e276ff0db8e2c4275c268715aa505
--! Hash: sha1:b43bb235ccabd97a5eb0b570c4216376c96ac54e
--! Message: The window check pairs only what it refuses

--! split: 0100-the-window-check-pairs-only-what-it-refuses.sql
/*
 * The accepted-times check of interactions paired every new row with its old one to see whether the
 * statement wrote the time it found outside the window. Transition tables have no statistics, and
 * the pairing ran as a nested loop: 3.2 s of a 60,000-contact simulation (PostgreSQL's function
 * statistics), every write function's update paying it. It now looks for a time outside the window
 * first (almost never one) and pairs only those rows.
 */
create or replace function cx_private.tg_customer_interactions__times_in_window() returns trigger
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_window tstzrange := cx_private.timestamp_window();
  v_refused record;
begin
  if tg_op = 'INSERT' then
    select n.start_timestamp, n.end_timestamp into v_refused
      from new_rows n
     where not n.start_timestamp <@ v_window or not n.end_timestamp <@ v_window
     limit 1;
  else
    if not exists (select 1 from new_rows n where not n.start_timestamp <@ v_window or not n.end_timestamp <@ v_window) then
      return null;
    end if;
    -- interaction_id never changes: it pairs each new row outside the window with its old one
    with outside as materialized (
      select n.interaction_id, n.start_timestamp, n.end_timestamp
        from new_rows n
       where not n.start_timestamp <@ v_window or not n.end_timestamp <@ v_window
    )
    select case when n.start_timestamp is distinct from o.start_timestamp then n.start_timestamp end as start_timestamp,
           case when n.end_timestamp is distinct from o.end_timestamp then n.end_timestamp end as end_timestamp
      into v_refused
      from outside n
      join old_rows o on o.interaction_id = n.interaction_id
     where (n.start_timestamp is distinct from o.start_timestamp and not n.start_timestamp <@ v_window)
        or (n.end_timestamp is distinct from o.end_timestamp and not n.end_timestamp <@ v_window)
     limit 1;
  end if;
  if found then
    perform cx_private.require_in_window('customer_interactions', 'start_timestamp', v_refused.start_timestamp, null);
    perform cx_private.require_in_window('customer_interactions', 'end_timestamp', v_refused.end_timestamp, null);
  end if;
  return null;
end
$$;
