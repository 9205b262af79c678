import type { HouseholdPayments } from '@jiuzhu/shared';
import { inScope } from '../../db/scope';
import { NotFound } from '../../errors';
import type { PayrollDeps } from './service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every payment line of a household of the caller's region, newest month first, with yearly paid totals. */
export async function householdPayments(deps: PayrollDeps, householdId: string): Promise<HouseholdPayments> {
  if (!UUID.test(householdId)) throw NotFound('entity.household');
  const h = await deps.db
    .selectFrom('households')
    .select('id')
    .where('id', '=', householdId)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!h) throw NotFound('entity.household');
  const rows = await deps.db
    .selectFrom('payroll_lines as l')
    .innerJoin('payrolls as p', 'p.id', 'l.payroll_id')
    .select(['p.id as payroll_id', 'p.payroll_no', 'p.status as payroll_status'])
    .select(['l.month', 'l.line_type', 'l.kind', 'l.amount_fen', 'l.status', 'l.fail_code'])
    .where('l.household_id', '=', householdId)
    .where(inScope('l.region_code'))
    .orderBy('l.month', 'desc')
    .orderBy('l.id', 'desc')
    .limit(600)
    .execute();
  const years = new Map<string, { amountFen: number; lines: number }>();
  for (const r of rows) {
    if (r.payroll_status !== 'approved' || r.status === 'failed') continue;
    const y = years.get(r.month.slice(0, 4)) ?? { amountFen: 0, lines: 0 };
    y.amountFen += r.amount_fen;
    y.lines += 1;
    years.set(r.month.slice(0, 4), y);
  }
  return {
    items: rows.map((r) => ({
      payrollId: r.payroll_id,
      payrollNo: Number(r.payroll_no),
      payrollStatus: r.payroll_status,
      month: r.month,
      lineType: r.line_type,
      kind: r.kind,
      amountFen: r.amount_fen,
      status: r.status,
      failCode: r.fail_code,
    })),
    paidByYear: [...years.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([year, v]) => ({ year, ...v })),
  };
}
