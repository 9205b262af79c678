-- Payroll corrections (调整) and the 先行救助 line (emergency). An adjustment line is recorded by the
-- maker on a draft: a signed amount for an enrolment and the month it corrects (under-payment made
-- good > 0, over-payment recovered < 0), with its reason and author. The maker's adjustments show
-- in the checks before approval (code 'adjustment', already decided with the maker's reason) and in
-- the payroll's step log.
alter table payroll_lines add column reason text;
alter table payroll_lines add column created_by text;
alter table payroll_lines add constraint payroll_lines_adjustment_reason_check
  check (line_type <> 'adjustment' or (reason is not null and created_by is not null and amount_fen <> 0));

alter table payroll_exceptions drop constraint payroll_exceptions_code_check;
alter table payroll_exceptions add constraint payroll_exceptions_code_check
  check (code in ('new_line', 'stopped_line', 'amount_changed', 'missing_account', 'invalid_account',
    'shared_account', 'payee_dead', 'payee_over_age', 'under_review', 'adjustment'));

alter table payroll_actions drop constraint payroll_actions_action_check;
alter table payroll_actions add constraint payroll_actions_action_check
  check (action in ('built', 'submitted', 'approved', 'returned', 'exception_accepted', 'bank_file',
    'returns_imported', 'adjustment_added', 'adjustment_removed'));
-- An Idempotency-Key of an adjustment step: a retry finds the step it already made.
create index payroll_actions_idem_idx on payroll_actions (payroll_id, (detail ->> 'idempotencyKey'))
  where detail ? 'idempotencyKey';
