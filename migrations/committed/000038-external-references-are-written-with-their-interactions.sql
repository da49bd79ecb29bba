--! Previous: sha1:338c78b59c9806e41c724502bb10e02d1a526a51
--! Hash: sha1:1c2c7f7a196d2e5123ccddff98728e55018f1724
--! Message: External references are written with their interactions

--! split: 0100-external-references-are-written-with-their-interactions.sql
/*
 * An external reference (a source's id for an interaction, which makes a re-send a replay) is
 * written by the bulk path only, in the statement after the interactions it names, so the
 * statement trigger that checked each one's interaction checked what the write had just made. On
 * Citus it could not run at all (it locks the interactions FOR KEY SHARE from a shard). It goes,
 * with its rule's message; the references follow their interactions on delete and re-key as before.
 */
drop trigger if exists _100_interaction_exists_after_insert on cx.interaction_external_refs;
drop trigger if exists _100_interaction_exists_after_update on cx.interaction_external_refs;
drop function if exists cx_private.tg__interaction_exists();
delete from cx_private.constraint_messages where constraint_name = 'interaction_external_refs_interaction_fkey';
