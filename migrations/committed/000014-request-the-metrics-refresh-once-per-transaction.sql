--! Previous: sha1:ef2bef3e55d745b788414c9806c0e80d45435fe9
--! Hash: sha1:99eb50145b7ce49d6dd7e258024bfa26a18d4302
--! Message: request the metrics refresh once per transaction

--! split: 0100-request-refresh-once-per-transaction.sql
/*
 * An application records a contact in several statements (start, steps, end), each logging its
 * buckets and asking for a refresh. The check for a waiting job ran once per statement; measured
 * with 8 concurrent writers it cost a third of their throughput. A transaction now asks once: a
 * transaction-local setting remembers that it did.
 */
create or replace function cx_private.request_metrics_refresh() returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  if current_setting('carepulse.metrics_refresh_requested', true) = 'on' then
    return; -- this transaction asked already
  end if;
  perform set_config('carepulse.metrics_refresh_requested', 'on', true);
  if to_regclass('graphile_worker.jobs') is null then
    return; -- the worker's schema is not installed (a bare restore): the crontab will catch up
  end if;
  if not exists (
    select 1 from graphile_worker.jobs j
     where j.task_identifier = 'metrics__refresh' and j.locked_at is null and j.attempts < j.max_attempts
  ) then
    perform graphile_worker.add_job('metrics__refresh', '{}'::json,
      run_at := now() + interval '1 second', max_attempts := 10);
  end if;
end
$$;
comment on function cx_private.request_metrics_refresh() is
  'Adds a metrics__refresh worker job unless one is already waiting (no job key: writers must not lock the job row); once per transaction (a transaction-local setting remembers it asked).';
