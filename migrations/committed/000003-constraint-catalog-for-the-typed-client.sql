--! Previous: sha1:07aa4c0917afdd38fdc97d61b6a1d77aec460922
--! Hash: sha1:899810c951dd7d7fcb84b83dd3361126d2d34c7a
--! Message: constraint catalog for the typed client

--! split: 0100-constraint-catalog.sql
/*
 * The typed client turns a constraint error into a validation error that names the field: it
 * reads the whole message catalog once, with the columns each constraint covers, instead of one
 * lookup per error (an error inside a transaction leaves no way to ask the database anything).
 */
drop function if exists cx.constraint_catalog();

create function cx.constraint_catalog()
  returns table (constraint_name text, message text, table_name text, field_names text[])
  language sql stable parallel safe
  security definer
  set search_path = pg_catalog
  as $$
    select m.constraint_name,
           m.message,
           coalesce(ct.relname, it.relname),
           coalesce(
             (select array_agg(a.attname::text order by k.ord)
                from unnest(con.conkey) with ordinality k(attnum, ord)
                join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum),
             (select array_agg(a.attname::text order by k.ord)
                from unnest(ix.indkey::int2[]) with ordinality k(attnum, ord)
                join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.attnum),
             '{}')
      from cx_private.constraint_messages m
      left join pg_constraint con
        on con.conname = m.constraint_name and con.connamespace = 'cx'::regnamespace and con.conparentid = 0
      left join pg_class ct on ct.oid = con.conrelid
      left join pg_class ic
        on con.oid is null and ic.relname = m.constraint_name and ic.relnamespace = 'cx'::regnamespace
      left join pg_index ix on ix.indexrelid = ic.oid
      left join pg_class it on it.oid = ix.indrelid
  $$;
comment on function cx.constraint_catalog() is
  'Every catalogued constraint with its sentence, its table and the columns it covers (empty for rules enforced by triggers, whose errors name their column themselves).';
