import { sql, type Kysely, type Transaction } from 'kysely';
import type {
  CreatePayrollBody,
  PayrollDetail,
  PayrollLinesQuery,
  PayrollListQuery,
  PayrollPage,
  PayrollSummary,
} from '@jiuzhu/shared';
import type { Config } from '../../config';
import { getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { inScope, isInScope } from '../../db/scope';
import { Conflict, Forbidden, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { computeDueLines, writeLines } from './build';
import { runChecks } from './checks';
import { writeEmergencyLines } from './emergency';
import { negativeNets } from './nets';

export type PayrollDeps = { db: Kysely<DB>; protector: Protector; config: Pick<Config, 'city'> };

export async function payrollSettings(db: Kysely<DB> | Transaction<DB>) {
  return db.selectFrom('payroll_settings').selectAll().where('key', '=', 'default').executeTakeFirstOrThrow();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function actor() {
  const a = getContext().actor;
  return { username: a?.username ?? 'system', role: a?.role ?? null };
}

/** The caller's role must be among the configured makers / checkers (the system runs as either). */
export async function requireConfiguredRole(db: Kysely<DB> | Transaction<DB>, which: 'maker_roles' | 'checker_roles') {
  const role = getContext().actor?.role;
  if (!role) return;
  const s = await payrollSettings(db);
  if (!s[which].includes(role)) throw Forbidden('payroll.roleNotConfigured');
}

export async function totals(trx: Transaction<DB>, payrollId: string) {
  const t = await trx
    .selectFrom('payroll_lines')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), sql<number>`0`).as('fen'),
    ])
    .where('payroll_id', '=', payrollId)
    .executeTakeFirstOrThrow();
  return { lineCount: Number(t.n), totalFen: Number(t.fen) };
}

export async function logAction(
  trx: Transaction<DB>,
  p: { id: string; region_code: string; month: string },
  action:
    | 'built'
    | 'submitted'
    | 'approved'
    | 'returned'
    | 'exception_accepted'
    | 'bank_file'
    | 'returns_imported'
    | 'adjustment_added'
    | 'adjustment_removed',
  extra: { reason?: string | null; detail?: Record<string, unknown> } = {},
) {
  const sums = await totals(trx, p.id);
  const who = actor();
  await trx
    .insertInto('payroll_actions')
    .values({
      payroll_id: p.id,
      action,
      actor_username: who.username,
      actor_role: who.role,
      reason: extra.reason ?? null,
      line_count: sums.lineCount,
      total_fen: sums.totalFen,
      detail: JSON.stringify(extra.detail ?? {}),
    })
    .execute();
  await recordAudit(trx, {
    action: `payroll.${action}`,
    entity: 'payroll',
    entityId: p.id,
    regionCode: p.region_code,
    detail: { month: p.month, ...sums, ...(extra.detail ?? {}) },
  });
  return sums;
}

/**
 * Makes (or refreshes) the draft payroll of a month and region: the payroll row, its lines computed
 * and written, the checks and the step log in one transaction, so a killed run leaves nothing or a
 * complete draft, and concurrent requests meet on the unique (month, region) of regular runs (the
 * second waits on the row lock, then rebuilds from what the first wrote).
 */
export async function createPayroll(deps: PayrollDeps, body: CreatePayrollBody): Promise<string> {
  const { db, protector } = deps;
  if (body.regionCode.length > 6) throw InvalidField('regionCode', 'payroll.regionLevel');
  if (!isInScope(body.regionCode)) throw Forbidden('error.outOfRegion');
  await requireConfiguredRole(db, 'maker_roles');
  const settings = await payrollSettings(db);
  if (body.runKind === 'regular') {
    const existing = await findRegular(db, body.month, body.regionCode);
    if (existing && existing.status !== 'draft') throw Conflict('payroll.notDraft');
  }
  const who = actor();
  return db.transaction().execute(async (trx) => {
    // The build's statements are short scans and index lookups over many rows: planning them with JIT
    // compilation (PostgreSQL's default above a cost) costs more than running them.
    await sql`set local jit = off`.execute(trx);
    let id: string;
    if (body.runKind === 'regular') {
      await trx
        .insertInto('payrolls')
        .values({ month: body.month, region_code: body.regionCode, run_kind: 'regular', created_by: who.username })
        .onConflict((oc) => oc.columns(['month', 'region_code']).where('run_kind', '=', 'regular').doNothing())
        .execute();
      id = (await findRegular(trx, body.month, body.regionCode))!.id;
    } else {
      id = (
        await trx
          .insertInto('payrolls')
          .values({
            month: body.month,
            region_code: body.regionCode,
            run_kind: 'supplementary',
            created_by: who.username,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    const p = await trx.selectFrom('payrolls').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (p.status !== 'draft') throw Conflict('payroll.notDraft');
    const computed = await computeDueLines(
      trx,
      protector,
      { payrollId: id, month: body.month, regionCode: body.regionCode, runKind: body.runKind },
      settings.luhn_prefixes,
    );
    await writeLines(trx, id, computed.lines);
    await writeEmergencyLines(
      trx,
      { id, month: p.month, regionCode: p.region_code, runKind: p.run_kind },
      computed.lines,
    );
    await runChecks(trx, { id, month: p.month, regionCode: p.region_code }, computed.payees, settings);
    const sums = await logAction(trx, p, 'built');
    await cacheTotals(trx, id, sums, true);
    return id;
  });
}

/** The payroll's cached line count and total (after a build or an adjustment). */
export async function cacheTotals(
  trx: Transaction<DB>,
  id: string,
  sums: { lineCount: number; totalFen: number },
  built = false,
) {
  await trx
    .updateTable('payrolls')
    .set({ line_count: sums.lineCount, total_fen: sums.totalFen, updated_at: new Date() })
    .$if(built, (q) => q.set({ built_at: new Date() }))
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

function findRegular(db: Kysely<DB> | Transaction<DB>, month: string, regionCode: string) {
  return db
    .selectFrom('payrolls')
    .select(['id', 'status'])
    .where('month', '=', month)
    .where('region_code', '=', regionCode)
    .where('run_kind', '=', 'regular')
    .executeTakeFirst();
}

function payrollFrom(db: Kysely<DB>) {
  return db
    .selectFrom('payrolls as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .where(inScope('p.region_code'))
    .selectAll('p')
    .select('r.name as region_name')
    .select((eb) =>
      eb
        .selectFrom('payroll_exceptions as x')
        .select((e2) => e2.fn.countAll<number>().as('n'))
        .whereRef('x.payroll_id', '=', 'p.id')
        .where('x.status', '=', 'open')
        .as('open_exceptions'),
    );
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof payrollFrom>['executeTakeFirstOrThrow']>>;

function toSummary(r: SummaryRow): PayrollSummary {
  return {
    id: r.id,
    payrollNo: Number(r.payroll_no),
    month: r.month,
    regionCode: r.region_code,
    regionName: r.region_name,
    runKind: r.run_kind,
    status: r.status,
    lineCount: r.line_count,
    totalFen: Number(r.total_fen),
    openExceptions: Number(r.open_exceptions ?? 0),
    returnReason: r.return_reason,
    createdBy: r.created_by,
    builtAt: r.built_at ? new Date(r.built_at).toISOString() : null,
    version: r.version,
  };
}

export async function listPayrolls(deps: PayrollDeps, q: PayrollListQuery): Promise<PayrollPage> {
  let base = payrollFrom(deps.db);
  if (q.month) base = base.where('p.month', '=', q.month);
  if (q.regionCode) base = base.where('p.region_code', 'like', `${q.regionCode}%`);
  if (q.status) base = base.where('p.status', '=', q.status);
  const [rows, total] = await Promise.all([
    base
      .orderBy('p.month', 'desc')
      .orderBy('p.region_code')
      .orderBy('p.payroll_no', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSummary), total: Number(total.n) };
}

async function findPayroll(db: Kysely<DB>, id: string): Promise<SummaryRow> {
  if (!UUID.test(id)) throw NotFound('entity.payroll');
  const row = await payrollFrom(db).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.payroll');
  return row;
}

export async function getPayroll(deps: PayrollDeps, id: string): Promise<PayrollDetail> {
  const { db } = deps;
  const p = await findPayroll(db, id);
  const lines = db.selectFrom('payroll_lines').where('payroll_id', '=', id);
  const [byKind, byType, fund, failed, actions, banks, settings] = await Promise.all([
    lines
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount_fen').as('fen')])
      .groupBy('kind')
      .orderBy('kind')
      .execute(),
    lines
      .select([
        'line_type',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.sum<number>('amount_fen').as('fen'),
      ])
      .groupBy('line_type')
      .orderBy('line_type')
      .execute(),
    lines
      .select((eb) => [
        eb.fn.sum<number>('central_fen').as('c'),
        eb.fn.sum<number>('provincial_fen').as('p'),
        eb.fn.sum<number>('city_fen').as('ci'),
        eb.fn.sum<number>('county_fen').as('co'),
      ])
      .executeTakeFirstOrThrow(),
    lines
      .where('status', '=', 'failed')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_fen').as('fen')])
      .executeTakeFirstOrThrow(),
    db.selectFrom('payroll_actions').selectAll().where('payroll_id', '=', id).orderBy('id').execute(),
    bankBreakdown(db, id),
    payrollSettings(db),
  ]);
  const role = getContext().actor?.role;
  const allowed: PayrollDetail['allowed'] = [];
  const maker = !role || settings.maker_roles.includes(role);
  const checker = !role || settings.checker_roles.includes(role);
  if (p.status === 'draft' && maker) allowed.push('rebuild', 'submit', 'accept_exception', 'adjust');
  if (p.status === 'submitted' && checker) allowed.push('approve', 'return');
  if (p.status === 'approved' && role === 'finance_officer') allowed.push('bank_file', 'returns');
  return {
    ...toSummary(p),
    byKind: byKind.map((k) => ({ kind: k.kind, lines: Number(k.n), amountFen: Number(k.fen) })),
    byLineType: byType.map((k) => ({ lineType: k.line_type, lines: Number(k.n), amountFen: Number(k.fen) })),
    byFund: {
      centralFen: Number(fund.c ?? 0),
      provincialFen: Number(fund.p ?? 0),
      cityFen: Number(fund.ci ?? 0),
      countyFen: Number(fund.co ?? 0),
    },
    failed: { lines: Number(failed.n), amountFen: Number(failed.fen ?? 0) },
    banks,
    actions: actions.map((a) => ({
      action: a.action,
      actor: a.actor_username,
      role: a.actor_role,
      reason: a.reason,
      lineCount: a.line_count,
      totalFen: Number(a.total_fen),
      at: new Date(a.at).toISOString(),
    })),
    allowed,
  };
}

/** Lines and amounts per bank template (by the payee's bank name; the fallback template takes the rest). */
export async function bankBreakdown(db: Kysely<DB>, payrollId: string): Promise<PayrollDetail['banks']> {
  const [templates, byBank, files] = await Promise.all([
    db.selectFrom('payroll_bank_templates').selectAll().orderBy('fallback').orderBy('bank_code').execute(),
    // Rows of the bank files: one a payee with a positive net (as makeBankFile writes them).
    sql<{ bank_name: string | null; n: number; fen: number }>`
      select bank_name, count(*)::int as n, sum(net)::bigint as fen from (
        select m.bank_name, sum(l.amount_fen) as net from payroll_lines l
        left join members m on m.id = l.payee_member_id
        where l.payroll_id = ${payrollId} and l.account_hash is not null and l.line_type <> 'emergency'
        group by l.payee_member_id, m.bank_name having sum(l.amount_fen) > 0) x
      group by bank_name`
      .execute(db)
      .then((r) => r.rows),
    db.selectFrom('payroll_bank_files').selectAll().where('payroll_id', '=', payrollId).orderBy('id').execute(),
  ]);
  return templates.map((t) => {
    const mine = byBank.filter((b) =>
      t.fallback
        ? !templates.some((o) => !o.fallback && o.bank_names.includes(b.bank_name ?? ''))
        : t.bank_names.includes(b.bank_name ?? ''),
    );
    return {
      bankCode: t.bank_code,
      name: t.name,
      format: t.format,
      lines: mine.reduce((s, b) => s + Number(b.n), 0),
      amountFen: mine.reduce((s, b) => s + Number(b.fen ?? 0), 0),
      files: files
        .filter((f) => f.bank_code === t.bank_code)
        .map((f) => ({
          lineCount: f.line_count,
          totalFen: Number(f.total_fen),
          sha256: f.sha256,
          madeBy: f.made_by,
          madeAt: new Date(f.made_at).toISOString(),
        })),
    };
  });
}

export async function listLines(deps: PayrollDeps, id: string, q: PayrollLinesQuery) {
  const p = await findPayroll(deps.db, id);
  let base = deps.db
    .selectFrom('payroll_lines as l')
    .leftJoin('members as m', 'm.id', 'l.payee_member_id')
    .leftJoin('households as h', 'h.id', 'l.household_id')
    .where('l.payroll_id', '=', id)
    .where(inScope('l.region_code'));
  if (q.lineType) base = base.where('l.line_type', '=', q.lineType);
  if (q.status) base = base.where('l.status', '=', q.status);
  if (q.kind) base = base.where('l.kind', '=', q.kind);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    base = base.where((eb) => eb.or([eb('m.name', 'like', like), eb('h.household_no', 'like', like)]));
  }
  const [rows, total] = await Promise.all([
    base
      .selectAll('l')
      .select(['m.name as payee_name', 'm.bank_name', 'h.household_no'])
      .orderBy('l.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((l) => ({
      id: Number(l.id),
      reference: lineReference(Number(p.payroll_no), Number(l.id)),
      enrolmentId: l.enrolment_id,
      householdId: l.household_id,
      householdNo: l.household_no ?? null,
      month: l.month,
      lineType: l.line_type,
      kind: l.kind,
      regionCode: l.region_code,
      payeeName: l.payee_name ?? null,
      bankName: l.bank_name ?? null,
      hasAccount: l.account_hash !== null,
      amountFen: l.amount_fen,
      centralFen: l.central_fen,
      provincialFen: l.provincial_fen,
      cityFen: l.city_fen,
      countyFen: l.county_fen,
      status: l.status,
      failCode: l.fail_code,
      reason: l.reason,
      createdBy: l.created_by,
    })),
    total: Number(total.n),
  };
}

/** The reference a bank file carries and a return file quotes: payroll number and line id. */
export function lineReference(payrollNo: number, lineId: number): string {
  return `JZ${String(payrollNo).padStart(6, '0')}-${String(lineId).padStart(10, '0')}`;
}

export async function listExceptions(deps: PayrollDeps, id: string) {
  await findPayroll(deps.db, id);
  const rows = await deps.db
    .selectFrom('payroll_exceptions as x')
    .innerJoin('enrolments as e', 'e.id', 'x.enrolment_id')
    .leftJoin('households as h', 'h.id', 'e.household_id')
    .leftJoin('members as m', (j) =>
      j.on((eb) =>
        eb(
          'm.id',
          '=',
          eb
            .selectFrom('payroll_lines as l')
            .select('l.payee_member_id')
            .whereRef('l.enrolment_id', '=', 'x.enrolment_id')
            .orderBy('l.id', 'desc')
            .limit(1),
        ),
      ),
    )
    .where('x.payroll_id', '=', id)
    .where(inScope('e.region_code'))
    .selectAll('x')
    .select(['h.household_no', 'm.name as payee_name'])
    .orderBy('x.status')
    .orderBy('x.code')
    .orderBy('x.id')
    .limit(2000)
    .execute();
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.code] = (counts[r.code] ?? 0) + 1;
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      code: r.code as never,
      enrolmentId: r.enrolment_id,
      householdNo: r.household_no ?? null,
      payeeName: r.payee_name ?? null,
      detail: r.detail,
      status: r.status,
      reason: r.reason,
      decidedBy: r.decided_by,
    })),
    open: rows.filter((r) => r.status === 'open').length,
    counts,
  };
}

/** A step on the payroll under a row lock, so concurrent approvals produce one outcome. */
export async function step<T>(
  deps: PayrollDeps,
  id: string,
  fn: (
    trx: Transaction<DB>,
    p: { id: string; status: string; region_code: string; month: string; created_by: string },
  ) => Promise<T>,
): Promise<T> {
  await findPayroll(deps.db, id);
  return deps.db.transaction().execute(async (trx) => {
    const p = await trx.selectFrom('payrolls').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    return fn(trx, p);
  });
}

async function setStatus(
  trx: Transaction<DB>,
  id: string,
  status: 'draft' | 'submitted' | 'approved',
  returnReason: string | null,
) {
  await trx
    .updateTable('payrolls')
    .set({ status, return_reason: returnReason, updated_at: new Date() })
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function submitPayroll(deps: PayrollDeps, id: string) {
  await requireConfiguredRole(deps.db, 'maker_roles');
  await step(deps, id, async (trx, p) => {
    if (p.status !== 'draft') throw Conflict('payroll.wrongStatus');
    const open = await trx
      .selectFrom('payroll_exceptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('payroll_id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    if (Number(open.n) > 0) throw Conflict('payroll.openExceptions', { n: Number(open.n) });
    const negative = await negativeNets(trx, id);
    if (negative.length > 0)
      throw Conflict('payroll.negativeNet', {
        n: negative.length,
        names: negative
          .slice(0, 5)
          .map((x) => `${x.name} ${(x.netFen / 100).toFixed(2)}`)
          .join('、'),
      });
    await setStatus(trx, id, 'submitted', null);
    await logAction(trx, p, 'submitted');
  });
  return getPayroll(deps, id);
}

export async function approvePayroll(deps: PayrollDeps, id: string) {
  await requireConfiguredRole(deps.db, 'checker_roles');
  await step(deps, id, async (trx, p) => {
    if (p.status !== 'submitted') throw Conflict('payroll.wrongStatus');
    const maker = await trx
      .selectFrom('payroll_actions')
      .select('actor_username')
      .where('payroll_id', '=', id)
      .where('action', '=', 'submitted')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (maker && maker.actor_username === actor().username) throw Forbidden('payroll.makerCannotApprove');
    await setStatus(trx, id, 'approved', null);
    // Approved lines are paid unless a return says otherwise; the lines are locked from here.
    await trx.updateTable('payroll_lines').set({ status: 'paid' }).where('payroll_id', '=', id).execute();
    await logAction(trx, p, 'approved');
  });
  return getPayroll(deps, id);
}

export async function returnPayroll(deps: PayrollDeps, id: string, reason: string) {
  await requireConfiguredRole(deps.db, 'checker_roles');
  await step(deps, id, async (trx, p) => {
    if (p.status !== 'submitted') throw Conflict('payroll.wrongStatus');
    await setStatus(trx, id, 'draft', reason);
    await logAction(trx, p, 'returned', { reason });
  });
  return getPayroll(deps, id);
}

export async function acceptException(deps: PayrollDeps, id: string, exceptionId: number, reason: string) {
  await requireConfiguredRole(deps.db, 'maker_roles');
  await step(deps, id, async (trx, p) => {
    if (p.status !== 'draft') throw Conflict('payroll.notDraft');
    const updated = await trx
      .updateTable('payroll_exceptions')
      .set({ status: 'accepted', reason, decided_by: actor().username, decided_at: new Date() })
      .where('payroll_id', '=', id)
      .where('id', '=', exceptionId)
      .returning(['code', 'enrolment_id'])
      .executeTakeFirst();
    if (!updated) throw NotFound('entity.payrollException');
    await logAction(trx, p, 'exception_accepted', { reason, detail: { code: updated.code, exceptionId } });
  });
  return listExceptions(deps, id);
}

// ---- 全市一张图 (dashboard)
export { findPaymentHousehold, paidFigures, paymentTrace, payrollTodoCounts, writePaidFigures } from './figures';
