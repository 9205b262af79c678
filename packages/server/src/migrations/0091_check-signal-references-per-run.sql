-- Collision runs check their references once per rule statement instead of once per row.
-- The foreign keys of signals and signal_records on the rule, the batch, the signal and the
-- record were two thirds of a rule statement (a trigger, a lookup and a row lock per key and
-- row). Their targets come from the run itself (the rule it read, the records it matched, a
-- signal id derived from the signal's unique key), and runCollision verifies them with one
-- set-based anti-join in the statement that writes the signals and links: a broken reference
-- fails the rule's transaction, and with it the run.
-- member_id and household_id are informational (the person's region is in region_code): the
-- same check covers them, and their "on delete set null" is kept by the triggers below (a member
-- removed from a household leaves the signal, without the member). One difference from a key:
-- a member deleted while a run that names them is uncommitted keeps the id in that signal.
-- What the dropped keys did on delete is done here once per statement: deleting a signal
-- deletes its links (was: on delete cascade); deleting a rule, batch or record a signal or link
-- still names is refused (was: no action). Nothing in the application deletes any of them.
alter table signals drop constraint signals_rule_id_fkey;
alter table signals drop constraint signals_batch_id_fkey;
alter table signals drop constraint signals_member_id_fkey;
alter table signals drop constraint signals_household_id_fkey;
alter table signal_records drop constraint signal_records_signal_id_fkey;
alter table signal_records drop constraint signal_records_record_id_fkey;

create function signals_delete_links() returns trigger language plpgsql as $$
begin
  delete from signal_records l using gone g where l.signal_id = g.id;
  return null;
end $$;
create trigger signals_delete_links after delete on signals
  referencing old table as gone for each statement execute function signals_delete_links();

-- One function per table: the transition table's id is a uuid in two of them, a bigint in the third.
create function collision_rules_refuse_delete() returns trigger language plpgsql as $$
begin
  if exists (select 1 from signals s join gone g on g.id = s.rule_id) then
    raise foreign_key_violation using message = 'collision_rules rows still named by signals cannot be deleted';
  end if;
  return null;
end $$;
create trigger collision_rules_refuse_delete after delete on collision_rules
  referencing old table as gone for each statement execute function collision_rules_refuse_delete();

create function feed_batches_refuse_delete() returns trigger language plpgsql as $$
begin
  if exists (select 1 from signals s join gone g on g.id = s.batch_id) then
    raise foreign_key_violation using message = 'feed_batches rows still named by signals cannot be deleted';
  end if;
  return null;
end $$;
create trigger feed_batches_refuse_delete after delete on feed_batches
  referencing old table as gone for each statement execute function feed_batches_refuse_delete();

create function feed_records_refuse_delete() returns trigger language plpgsql as $$
begin
  if exists (select 1 from signal_records l join gone g on g.id = l.record_id) then
    raise foreign_key_violation using message = 'feed_records rows still named by signals cannot be deleted';
  end if;
  return null;
end $$;
create trigger feed_records_refuse_delete after delete on feed_records
  referencing old table as gone for each statement execute function feed_records_refuse_delete();

create function members_unset_signals() returns trigger language plpgsql as $$
begin
  update signals s set member_id = null from gone g where s.member_id = g.id;
  return null;
end $$;
create trigger members_unset_signals after delete on members
  referencing old table as gone for each statement execute function members_unset_signals();

create function households_unset_signals() returns trigger language plpgsql as $$
begin
  update signals s set household_id = null from gone g where s.household_id = g.id;
  return null;
end $$;
create trigger households_unset_signals after delete on households
  referencing old table as gone for each statement execute function households_unset_signals();
