--! Previous: sha1:145603362f912a9e58e4d037ec6bfd0c139b446c
--! Hash: sha1:dfed999803dd191e48e9efaad79c4201388c7dab
--! Message: Settings are changed by a write function

--! split: 0100-settings-are-changed-by-a-write-function.sql
/*
 * Changing the reporting time zone or the short-abandon grace changes what every daily bucket
 * holds, so it logs them all for a rebuild. That was a row trigger on cx.settings, a reference
 * table on Citus whose triggers run on every copy (measured: on a worker it cannot see the daily
 * tables). cx.change_settings makes the change and the rebuild; the row trigger that validates a
 * value against its type stays (it reads only its row). The owner may still update settings
 * directly; then cx.rebuild_daily_metrics() is theirs to run.
 */
drop trigger if exists _800_rebuild_metrics on cx.settings;
drop function if exists cx_private.tg_settings__rebuild_metrics();
drop function if exists cx.change_settings(text[], text[]);

create function cx.change_settings(p_names text[], p_values text[])
  returns table (setting_name text, setting_value text, updated_at timestamptz)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_unknown text;
  v_rebuild boolean;
begin
  if coalesce(cardinality(p_values), 0) <> coalesce(cardinality(p_names), 0) then
    raise exception 'every setting named needs one value (% names, % values)',
        coalesce(cardinality(p_names), 0), coalesce(cardinality(p_values), 0)
      using errcode = 'invalid_parameter_value';
  end if;
  select n into v_unknown
    from unnest(p_names) n
   where not exists (select 1 from cx.settings s where s.setting_name = n)
   limit 1;
  if found then
    raise exception 'setting % does not exist', v_unknown
      using errcode = 'no_data_found', column = 'setting_name';
  end if;
  with changed as (
    update cx.settings s
       set setting_value = c.value
      from unnest(p_names, p_values) c(name, value)
     where s.setting_name = c.name and s.setting_value is distinct from c.value
    returning s.setting_name
  )
  -- these change what each day holds: every bucket is logged for a rebuild
  select coalesce(bool_or(c.setting_name in ('reporting_time_zone', 'short_abandon_grace_seconds')), false)
    into v_rebuild
    from changed c;
  if v_rebuild then
    perform cx.rebuild_daily_metrics();
    perform cx_private.request_metrics_refresh();
  end if;
  return query
    select s.setting_name, s.setting_value, s.updated_at
      from cx.settings s
     where s.setting_name = any(p_names)
     order by array_position(p_names, s.setting_name);
end
$$;
comment on function cx.change_settings(text[], text[]) is
  'Changes settings by name (each value checked against its type by the settings row trigger); a change of the reporting time zone or the short-abandon grace logs every daily bucket for a rebuild. Returns the settings named, in the order given. Every writer changes settings through it.';
