--! Previous: sha1:6667758667269077da89b9fc4ffcf90a29d65471
--! Hash: sha1:0b7399f96a8f54f3e83525b375509cb93dd690cf
--! Message: Partitions need no superuser

--! split: 0100-partitions-need-no-superuser.sql
/*
 * cx.create_monthly_partitions switched triggers off (session_replication_role, a superuser's
 * setting) so rows leaving the DEFAULT partitions moved unchanged. Nothing there needs it: the rows
 * are copied into a table that is not yet a partition (it has no triggers and no foreign keys until
 * it is attached, when the keys are validated once), and deleted from the DEFAULT partition itself,
 * where no trigger fires on a delete and no foreign key points. An owner that is not a superuser
 * can now run it.
 */
create or replace function cx.create_monthly_partitions(p_from timestamp with time zone DEFAULT now(), p_months integer DEFAULT 3) RETURNS integer
  language plpgsql security definer
  set search_path = pg_catalog
  as $$
declare
  v_first date := date_trunc('month', p_from at time zone 'UTC')::date;
  v_created integer := 0;
begin
  if p_months is null or p_months < 1 or p_months > 240 then
    raise exception 'p_months must be a whole number from 1 to 240, got %', p_months
      using errcode = 'invalid_parameter_value';
  end if;
  for i in 0 .. p_months - 1 loop
    -- interactions first: the steps' foreign key is checked against them when the steps attach
    if cx_private.create_month_partition('customer_interactions', (v_first + make_interval(months => i))::date) then
      v_created := v_created + 1;
    end if;
    perform cx_private.create_month_partition('interaction_steps', (v_first + make_interval(months => i))::date);
  end loop;
  return v_created;
end
$$;

comment on function cx.create_monthly_partitions(timestamptz, integer) is
  'Makes sure customer_interactions and interaction_steps have monthly partitions (UTC months) for p_months months from the month of p_from, moving rows of those months out of the DEFAULT partitions unchanged. Returns how many months were created. Safe to repeat; the worker runs it ahead of time; needs no superuser.';
