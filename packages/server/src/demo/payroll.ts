import { addMonths, chinaToday } from '@jiuzhu/shared';
import { demoAccounts } from '../modules/users/seed';
import {
  acceptException,
  approvePayroll,
  bankBreakdown,
  createPayroll,
  lineReference,
  listExceptions,
  submitPayroll,
  type PayrollDeps,
} from '../modules/payroll/service';
import { importReturns, makeBankFile } from '../modules/payroll/bankfiles';
import { addAdjustment } from '../modules/payroll/adjustments';
import { asStaff } from './case-driver';
import { luhnCard } from './payroll-driver';
import { accountFacts } from '../modules/registry/account-facts';

export type DemoPayrolls = {
  approved: string | null;
  draft: string | null;
  lines: number;
  reissued: number;
  emergency: number;
  adjustments: number;
};

/**
 * Gives a new demo database its payments, made by the demo staff through the payroll service as
 * they would by hand: last month's payroll of the demo county built, its findings accepted,
 * submitted by the county officer and approved by the finance officer; each bank's file made; one
 * payment returned by the bank (account closed) and the payee's card then corrected; and this
 * month's draft, which carries the reissue of that payment. The figures are those the enrolments
 * give (the build derives every line from them). Call after the enrolments are seeded.
 */
export async function seedDemoPayrolls(deps: PayrollDeps, city: string): Promise<DemoPayrolls> {
  const accounts = demoAccounts(city);
  const maker = accounts.find((a) => a.role === 'county_officer');
  const checker = accounts.find((a) => a.role === 'finance_officer' && a.regionCode === maker?.regionCode);
  const none = { approved: null, draft: null, lines: 0, reissued: 0, emergency: 0, adjustments: 0 };
  if (!maker || !checker) return none;
  const region = maker.regionCode;
  const thisMonth = chinaToday().slice(0, 7);
  const lastMonth = addMonths(thisMonth, -1);
  const asMaker = <T>(fn: () => Promise<T>) => asStaff(maker.role, region, fn, maker.username);
  const asChecker = <T>(fn: () => Promise<T>) => asStaff(checker.role, region, fn, checker.username);

  const approved = await asMaker(async () => {
    const id = await createPayroll(deps, { month: lastMonth, regionCode: region, runKind: 'regular' });
    const findings = await listExceptions(deps, id);
    for (const x of findings.items.filter((i) => i.status === 'open'))
      await acceptException(deps, id, x.id, '演示数据：已入户核实，照常发放');
    await submitPayroll(deps, id);
    return id;
  });
  const detail = await asChecker(() => approvePayroll(deps, approved));
  if (detail.lineCount === 0) return { ...none, approved };

  // The bank files, then one return: the first paid line with an account.
  const returned = await deps.db
    .selectFrom('payroll_lines')
    .select(['id', 'payee_member_id'])
    .where('payroll_id', '=', approved)
    .where('account_hash', 'is not', null)
    .where('payee_member_id', 'is not', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  await asChecker(async () => {
    for (const bank of await bankBreakdown(deps.db, approved))
      if (bank.lines > 0) await makeBankFile(deps, approved, bank.bankCode);
    if (returned)
      await importReturns(deps, approved, `${lineReference(detail.payrollNo, Number(returned.id))},account_closed`);
  });
  // The village corrects the card (a new account at the same bank), so the next build reissues.
  if (returned) {
    const account = luhnCard(900_000 + Number(returned.id));
    const enc = deps.protector.encrypt(account, 'member.bank_account');
    await deps.db
      .updateTable('members')
      .set({ bank_account_enc: enc, ...accountFacts(deps.protector, account, enc) })
      .where('id', '=', returned.payee_member_id!)
      .execute();
  }

  const draft = await asMaker(() => createPayroll(deps, { month: thisMonth, regionCode: region, runKind: 'regular' }));
  // One correction on the draft: last month's allowance of a household paid 30 元 short.
  const short = await deps.db
    .selectFrom('payroll_lines')
    .select('enrolment_id')
    .where('payroll_id', '=', approved)
    .where('line_type', '=', 'regular')
    .where('status', '=', 'paid')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (short)
    await asMaker(() =>
      addAdjustment(
        deps,
        draft,
        {
          enrolmentId: short.enrolment_id,
          month: lastMonth,
          amountFen: 3_000,
          reason: '演示数据：上月标准调整后少发差额，本月补足',
        },
        undefined,
      ),
    );
  const byType = await deps.db
    .selectFrom('payroll_lines')
    .select(['line_type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('payroll_id', '=', draft)
    .groupBy('line_type')
    .execute();
  const count = (type: string) => Number(byType.find((r) => r.line_type === type)?.n ?? 0);
  return {
    approved,
    draft,
    lines: detail.lineCount,
    reissued: count('reissue'),
    emergency: count('emergency'),
    adjustments: count('adjustment'),
  };
}
