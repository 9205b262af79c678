-- The builtin wage rule named a fixed 1,350 yuan (1.5 × the demo 低保 standard). Databases that
-- still run that unedited first version get a second one whose threshold is 1.5 × the standard in
-- force for the person's county in the record's month. A rule a city edited is left as it is.
with old as (
  select r.id, r.current_version, v.definition
  from collision_rules r
  join collision_rule_versions v on v.rule_id = r.id and v.version = r.current_version
  where r.code = 'wage.recipient' and r.builtin
    and v.definition -> 'where' = '[{"field": "monthly_wage_fen", "op": "gte", "value": 135000}]'::jsonb
),
added as (
  insert into collision_rule_versions (rule_id, version, definition, note, created_by)
  select id, current_version + 1,
    jsonb_set(definition, '{where}', '[{"field": "monthly_wage_fen", "op": "gte", "value": {"timesStandardPerMille": 1500}}]'::jsonb),
    '阈值改为保障标准的 1.5 倍（随各区县标准变化）', 'system'
  from old
  returning rule_id, version
)
update collision_rules r set current_version = added.version, updated_at = now()
from added where r.id = added.rule_id;
