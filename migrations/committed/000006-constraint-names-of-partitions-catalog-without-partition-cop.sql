--! Previous: sha1:00879fa36d4051c90395521ed1a0df69d718f4a0
--! Hash: sha1:f5b7def9f74438ce1a0e4e78a62aa14fcd04a17e
--! Message: constraint names of partitions, catalog without partition copies, missing plan as a foreign-key error

--! split: 0100-partition-constraint-names.sql
/*
 * A duplicate key in a partitioned table is reported under the partition's own index name
 * (customer_interactions_y2026m11_pkey, customer_interactions_default_pkey): map such names back
 * to the parent's, so the catalog's sentence is found whatever partition the row went to.
 */
drop function if exists cx.parent_constraint_name(text);
create function cx.parent_constraint_name(p_constraint_name text) returns text
  language sql immutable strict parallel safe
  set search_path = pg_catalog
  as $$
    select regexp_replace(
             regexp_replace(p_constraint_name, '^(customer_interactions|interaction_steps)_(y[0-9]{4}m[0-9]{2}|default)_', '\1_'),
             '_[0-9]+$', '')
     where p_constraint_name ~ '^(customer_interactions|interaction_steps)_(y[0-9]{4}m[0-9]{2}|default)_'
    union all
    select p_constraint_name
     where p_constraint_name !~ '^(customer_interactions|interaction_steps)_(y[0-9]{4}m[0-9]{2}|default)_'
  $$;
comment on function cx.parent_constraint_name(text) is
  'The name a constraint of a monthly or DEFAULT partition has on the partitioned parent (customer_interactions_y2026m11_pkey -> customer_interactions_pkey); other names unchanged.';

create or replace function cx.constraint_message(p_constraint_name text) returns text
  language sql stable strict parallel safe
  security definer
  set search_path = pg_catalog
  as $$
    select message from cx_private.constraint_messages
     where constraint_name = cx.parent_constraint_name(p_constraint_name)
  $$;

--! split: 0110-constraint-catalog-without-partitions.sql
/*
 * CHECK constraints are copied onto every partition under the same name: the catalog lists each
 * constraint once, from the table it was declared on.
 */
create or replace function cx.constraint_catalog()
  returns table (constraint_name text, message text, table_name text, field_names text[])
  language sql stable parallel safe
  security definer
  set search_path = pg_catalog
  as $$
    select m.constraint_name,
           m.message,
           coalesce(con.relname, idx.relname),
           coalesce(con.fields, idx.fields, '{}')
      from cx_private.constraint_messages m
      left join lateral (
        select t.relname::text as relname,
               (select array_agg(a.attname::text order by k.ord)
                  from unnest(c.conkey) with ordinality k(attnum, ord)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as fields
          from pg_constraint c
          join pg_class t on t.oid = c.conrelid
         where c.conname = m.constraint_name and c.connamespace = 'cx'::regnamespace
           and c.conparentid = 0 and not t.relispartition
         limit 1
      ) con on true
      left join lateral (
        select t.relname::text as relname,
               (select array_agg(a.attname::text order by k.ord)
                  from unnest(x.indkey::int2[]) with ordinality k(attnum, ord)
                  join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum) as fields
          from pg_class i
          join pg_index x on x.indexrelid = i.oid
          join pg_class t on t.oid = x.indrelid
         where i.relname = m.constraint_name and i.relnamespace = 'cx'::regnamespace and not t.relispartition
         limit 1
      ) idx on con.relname is null
  $$;

--! split: 0120-plan-assignment-missing-plan.sql
/*
 * An assignment of a plan that does not exist is a foreign-key error about service_plan_id, not
 * a missing plan_kind (which the trigger could not copy).
 */
create or replace function cx_private.tg_customer_service_plans__copy_plan_kind() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  if new.plan_kind is null or (tg_op = 'UPDATE' and new.service_plan_id is distinct from old.service_plan_id) then
    select plan_kind into new.plan_kind from cx.service_plans where service_plan_id = new.service_plan_id;
    if not found then
      raise exception 'service_plan_id % does not name an existing service plan', new.service_plan_id
        using errcode = 'foreign_key_violation', column = 'service_plan_id',
              constraint = 'customer_service_plans_service_plan_id_fkey';
    end if;
  end if;
  return new;
end
$$;

--! split: 0130-current-plans-columns.sql
comment on column cx.customer_current_plans.customer_id is 'The customer.';
comment on column cx.customer_current_plans.plan_kind is 'data, voice or combo.';
comment on column cx.customer_current_plans.service_plan_id is 'The plan held now.';
comment on column cx.customer_current_plans.plan_code is 'The plan''s code.';
comment on column cx.customer_current_plans.plan_name is 'The plan''s name.';
comment on column cx.customer_current_plans.valid_from is 'Since when the customer holds it.';
