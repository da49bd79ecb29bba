--! Previous: -
--! Hash: sha1:2d75f6e9991f12425e7a7858f906a3fb6ceaa216
--! Message: foundation: extensions, schemas, uuid v7, settings

--! split: 0010-extensions.sql
/*
 * Extensions the schema relies on: btree_gist for exclusion constraints that mix equality and
 * ranges (no overlapping plan assignments), pgcrypto for digests in privacy erasure. Both ship with
 * PostgreSQL's contrib on every supported server, the embedded one included.
 */
create extension if not exists btree_gist;
create extension if not exists pgcrypto;

--! split: 0020-schemas.sql
/*
 * Two schemas (DESIGN.md §2): cx is the public SQL interface that applications and reports use;
 * cx_private holds trigger functions, logs and helpers nobody outside should call.
 */
drop schema if exists cx_private cascade;
drop schema if exists cx cascade;
create schema cx;
comment on schema cx is 'carepulse: the data model, metrics and functions applications and reports use.';
create schema cx_private;
comment on schema cx_private is 'carepulse internals: trigger functions, logs and helpers; not part of the public interface.';
revoke all on schema cx_private from public;

--! split: 0030-uuid-v7.sql
/*
 * Time-ordered keys for the high-volume tables: UUIDv7 keeps index inserts at the right edge of
 * the B-tree, 1.6x faster bulk loads than random UUIDs (DESIGN.md §4). PostgreSQL 18 has
 * uuidv7(), 15 does not, so carepulse carries its own: a random v4 UUID with its first 48 bits
 * replaced by the Unix time in milliseconds and its version nibble set to 7 (RFC 9562). Taking the
 * timestamp lets backfills and bulk loads key rows by when they happened.
 */
create function cx.uuid_generate_v7(p_at timestamptz default clock_timestamp()) returns uuid
  language sql volatile parallel safe
  as $$
    select encode(
      set_bit(
        set_bit(
          overlay(uuid_send(gen_random_uuid())
                  placing substring(int8send((extract(epoch from p_at) * 1000)::bigint) from 3)
                  from 1 for 6),
          52, 1),
        53, 1),
      'hex')::uuid
  $$;
comment on function cx.uuid_generate_v7(timestamptz) is
  'A time-ordered UUID (version 7, RFC 9562) for the given moment (default: now): 48 bits of Unix milliseconds, then random bits. Works on PostgreSQL 15 and later.';

create function cx.uuid_v7_timestamp(p_id uuid) returns timestamptz
  language sql immutable strict parallel safe
  as $$
    select to_timestamp(('x' || lpad(substr(replace(p_id::text, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint / 1000.0)
  $$;
comment on function cx.uuid_v7_timestamp(uuid) is
  'The moment a UUIDv7 was generated for (millisecond precision); meaningless for other UUID versions.';

--! split: 0040-settings.sql
/*
 * Settings that metric definitions read (reporting time zone, FCR repeat window, short-abandon
 * grace): a table, not GUCs or database options, because they must travel with the data into
 * template clones, dumps and replicas, and be changed with an audited UPDATE (DESIGN.md §2).
 */
create table cx.settings (
  setting_name text primary key
    constraint settings_setting_name_format check (setting_name ~ '^[a-z][a-z0-9_]*$'),
  setting_value text not null,
  value_type text not null
    constraint settings_value_type_known check (value_type in ('text', 'integer', 'interval', 'time_zone')),
  description text not null,
  updated_at timestamptz not null default now()
);
comment on table cx.settings is 'Platform settings read by SQL functions (one row per setting).';
comment on column cx.settings.setting_name is 'Setting identifier, snake_case.';
comment on column cx.settings.setting_value is 'Value as text; value_type says how it is read and validated.';
comment on column cx.settings.value_type is 'How the value is interpreted: text, integer, interval or time_zone (an IANA name PostgreSQL knows).';
comment on column cx.settings.description is 'What the setting changes, for DBAs reading the table.';
comment on column cx.settings.updated_at is 'When the value last changed.';

create function cx_private.tg_settings__validate() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  begin
    case new.value_type
      when 'integer' then perform new.setting_value::integer;
      when 'interval' then perform new.setting_value::interval;
      when 'time_zone' then perform now() at time zone new.setting_value;
      else null;
    end case;
  exception when others then
    raise exception 'setting % must be a valid %, got "%"', new.setting_name, new.value_type, new.setting_value
      using errcode = '22023', column = 'setting_value';
  end;
  new.updated_at := now();
  return new;
end
$$;
comment on function cx_private.tg_settings__validate() is
  'Rejects a setting value its value_type cannot read (a bad time zone, interval or number) and stamps updated_at.';
create trigger _100_validate before insert or update on cx.settings
  for each row execute function cx_private.tg_settings__validate();

insert into cx.settings (setting_name, setting_value, value_type, description) values
  ('reporting_time_zone', 'UTC', 'time_zone', 'Time zone whose calendar days the daily metrics use.'),
  ('fcr_repeat_window', '7 days', 'interval', 'First contact resolution: a repeat contact about the same interaction type within this window after the end of a resolved interaction makes it not first-contact-resolved.'),
  ('short_abandon_grace_seconds', '5', 'integer', 'Service level: queued interactions abandoned within this many seconds are left out of the denominator.');

create function cx.setting(p_name text) returns text
  language sql stable strict parallel safe
  set search_path = pg_catalog
  as $$ select setting_value from cx.settings where setting_name = p_name $$;
comment on function cx.setting(text) is 'The value of a setting as text (null when there is no such setting).';
