-- Scheduled reviews (定期核查) take their interval from the standard of the kind. Versions stored
-- before the field existed get the demo intervals (the national practice: households nobody in
-- which can work yearly, the others every 6 months; 特困 and 低保边缘 yearly); a city changes them
-- by adding a version, as any other figure.
update policy_standards
   set params = params || '{"reviewMonths": {"unableToWork": 12, "other": 6}}'::jsonb
 where kind = 'dibao' and not (params ? 'reviewMonths');
update policy_standards
   set params = params || '{"reviewMonths": 12}'::jsonb
 where kind in ('tekun', 'dibao_edge') and not (params ? 'reviewMonths');
