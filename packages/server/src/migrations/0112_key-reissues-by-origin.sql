-- A reissue (补发 after a bank return) is keyed by the line it reissues (payroll_lines_reissue_idx),
-- no longer by (enrolment, month, line type). The bank pays and returns a payee's net as one row, so
-- every line of a returned row is reissued, and two of them can name the same enrolment and month:
-- the month's allowance and a recovery (adjustment) of that same month, or a month whose allowance
-- was already reissued once. Under the old key the second reissue was dropped by ON CONFLICT: the
-- recovery was lost, or the allowance was, leaving a negative reissue alone in the payee's net.
alter table payroll_lines drop constraint payroll_lines_enrolment_id_month_line_type_key;
create unique index payroll_lines_key_idx on payroll_lines (enrolment_id, month, line_type)
  where line_type <> 'reissue';
