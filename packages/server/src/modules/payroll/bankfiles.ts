import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { ReturnCode, type ReturnCode as ReturnCodeT } from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { BankColumn } from '../../db/schema';
import { inScope } from '../../db/scope';
import { Conflict, NotFound } from '../../errors';
import { mapYielding, xlsxFile } from '../../exports';
import { recordAudit } from '../audit/service';
import { lineReference, type PayrollDeps } from './service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND_ZH: Record<string, string> = {
  dibao: '低保金',
  tekun: '特困供养金',
  dibao_edge: '低保边缘救助',
  temporary: '临时救助',
};

async function approvedPayroll(deps: PayrollDeps, id: string) {
  if (!UUID.test(id)) throw NotFound('entity.payroll');
  const p = await deps.db
    .selectFrom('payrolls')
    .selectAll()
    .where('id', '=', id)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!p) throw NotFound('entity.payroll');
  if (p.status !== 'approved') throw Conflict('payroll.notApproved');
  return p;
}

type Row = Record<BankColumn['field'], string>;

/** Pads or cuts a field to `width` bytes in GBK (a Chinese character takes two), never splitting a character. */
function fixedField(value: string, width: number, align: 'left' | 'right' = 'left'): Buffer {
  let bytes = iconv.encode(value, 'gbk');
  let v = value;
  while (bytes.length > width) {
    v = v.slice(0, -1);
    bytes = iconv.encode(v, 'gbk');
  }
  const pad = Buffer.alloc(width - bytes.length, 0x20);
  return align === 'right' ? Buffer.concat([pad, bytes]) : Buffer.concat([bytes, pad]);
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The disbursement file of one bank for an approved payroll, from the bank's configured template.
 * Account numbers are decrypted here and only here; the file is made again on each download from
 * the locked lines (so it is identical each time), and each making is recorded with its line
 * count, total and SHA-256, and audited.
 */
export async function makeBankFile(
  deps: PayrollDeps,
  id: string,
  bankCode: string,
): Promise<{ bytes: Buffer; contentType: string; filename: string }> {
  const p = await approvedPayroll(deps, id);
  const templates = await deps.db.selectFrom('payroll_bank_templates').selectAll().execute();
  const template = templates.find((t) => t.bank_code === bankCode);
  if (!template) throw NotFound('entity.bankTemplate');
  const named = templates.filter((t) => !t.fallback).flatMap((t) => t.bank_names);
  // One row a payee: the net of their lines (adjustments included; 先行救助 was cash at the window),
  // named by their first line; a payee whose net is nothing is not in the file.
  let q = deps.db
    .selectFrom('payroll_lines as l')
    .innerJoin('members as m', 'm.id', 'l.payee_member_id')
    .select([
      sql<number>`min(l.id)`.as('id'),
      sql<string>`(array_agg(l.month order by l.id))[1]`.as('month'),
      sql<string>`(array_agg(l.kind order by l.id))[1]`.as('kind'),
      sql<number>`sum(l.amount_fen)::int`.as('amount_fen'),
      'm.name',
      'm.id_masked',
      'm.bank_account_enc',
    ])
    .where('l.payroll_id', '=', id)
    .where('l.line_type', '<>', 'emergency')
    .where('l.account_hash', 'is not', null)
    .where('m.bank_account_enc', 'is not', null)
    .groupBy(['m.id', 'm.name', 'm.id_masked', 'm.bank_account_enc'])
    .having(sql<boolean>`sum(l.amount_fen) > 0`)
    .orderBy(sql`min(l.id)`);
  q = template.fallback
    ? named.length > 0
      ? q.where((eb) => eb.or([eb('m.bank_name', 'is', null), eb('m.bank_name', 'not in', named)]))
      : q
    : q.where('m.bank_name', 'in', template.bank_names.length > 0 ? template.bank_names : ['\u0000']);
  const lines = await q.execute();
  const rows: Row[] = await mapYielding(lines, (l) => ({
    reference: lineReference(Number(p.payroll_no), Number(l.id)),
    account: deps.protector.decrypt(l.bank_account_enc!, 'member.bank_account'),
    name: l.name,
    amount_yuan: (l.amount_fen / 100).toFixed(2),
    amount_fen: String(l.amount_fen),
    id_masked: l.id_masked,
    month: l.month,
    memo: `${l.month}${KIND_ZH[l.kind] ?? ''}`,
  }));
  const totalFen = lines.reduce((s, l) => s + Number(l.amount_fen), 0);
  const columns = template.columns;
  let bytes: Buffer;
  let contentType: string;
  let ext: string;
  if (template.format === 'xlsx') {
    const sheet = function* () {
      yield columns.map((c) => c.header ?? c.field);
      for (const r of rows)
        yield columns.map((c) =>
          c.field === 'amount_yuan'
            ? Number(r.amount_yuan)
            : c.field === 'amount_fen'
              ? Number(r.amount_fen)
              : r[c.field],
        );
      yield columns.map((c, i) =>
        i === 0 ? `合计 ${rows.length} 笔` : c.field === 'amount_yuan' ? totalFen / 100 : '',
      );
    };
    bytes = await xlsxFile([{ name: '代发明细', rows: sheet() }]);
    contentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ext = 'xlsx';
  } else if (template.format === 'csv') {
    const text =
      [
        columns.map((c) => csvField(c.header ?? c.field)).join(','),
        ...rows.map((r) => columns.map((c) => csvField(r[c.field])).join(',')),
      ].join('\r\n') + '\r\n';
    bytes = template.encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    contentType = `text/csv; charset=${template.encoding === 'gbk' ? 'gbk' : 'utf-8'}`;
    ext = 'csv';
  } else {
    const crlf = Buffer.from('\r\n');
    bytes = Buffer.concat(
      rows.flatMap((r) => [...columns.map((c) => fixedField(r[c.field], c.width ?? 20, c.align)), crlf]),
    );
    contentType = `text/plain; charset=${template.encoding === 'gbk' ? 'gbk' : 'utf-8'}`;
    ext = 'txt';
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const actor = getContext().actor;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('payroll_bank_files')
      .values({
        payroll_id: id,
        bank_code: bankCode,
        line_count: rows.length,
        total_fen: totalFen,
        sha256,
        made_by: actor?.username ?? 'system',
      })
      .execute();
    await trx
      .insertInto('payroll_actions')
      .values({
        payroll_id: id,
        action: 'bank_file',
        actor_username: actor?.username ?? 'system',
        actor_role: actor?.role ?? null,
        reason: null,
        line_count: rows.length,
        total_fen: totalFen,
        detail: JSON.stringify({ bankCode, sha256 }),
      })
      .execute();
    await recordAudit(trx, {
      action: 'payroll.bank_file',
      entity: 'payroll',
      entityId: id,
      regionCode: p.region_code,
      detail: { month: p.month, bankCode, lineCount: rows.length, totalFen, sha256 },
    });
  });
  return { bytes, contentType, filename: `payroll-${p.month}-${p.region_code}-${bankCode}.${ext}` };
}

const CODE_ALIASES: Record<string, ReturnCodeT> = {
  账户已销户: 'account_closed',
  销户: 'account_closed',
  户名不符: 'name_mismatch',
  账户冻结: 'frozen',
  冻结: 'frozen',
};

/**
 * The bank's return file (退票): `reference,code[,message]` per failed payment (a header line is
 * skipped). Those lines of the payroll become failed with the reason code; a line that is not in
 * the payroll, already failed or with an unknown code is reported back, not applied.
 */
export async function importReturns(deps: PayrollDeps, id: string, content: string) {
  const p = await approvedPayroll(deps, id);
  const rejected: { line: number; reason: string }[] = [];
  const wanted = new Map<number, ReturnCodeT>();
  content.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.trim();
    if (!text) return;
    const [ref = '', code = ''] = text.split(',').map((f) => f.trim().replace(/^"|"$/g, ''));
    const m = /^JZ(\d{6,})-(\d{10})$/.exec(ref);
    if (!m) {
      if (i > 0) rejected.push({ line: i + 1, reason: 'reference' });
      return;
    }
    if (Number(m[1]) !== Number(p.payroll_no)) return rejected.push({ line: i + 1, reason: 'other_payroll' });
    const parsed = ReturnCode.safeParse(code);
    const c = parsed.success ? parsed.data : CODE_ALIASES[code];
    if (!c) return rejected.push({ line: i + 1, reason: 'code' });
    wanted.set(Number(m[2]), c);
  });
  const ids = [...wanted.keys()];
  const codes = ids.map((k) => wanted.get(k)!);
  return deps.db.transaction().execute(async (trx) => {
    const failed = ids.length
      ? (
          await sql<{
            id: number;
            amount_fen: number;
          }>`update payroll_lines l set status = 'failed', fail_code = s.code, failed_at = now()
          from unnest(${ids}::bigint[], ${codes}::text[]) as s(id, code)
          join payroll_lines r on r.id = s.id and r.payroll_id = ${id} and r.line_type <> 'emergency'
          -- A bank file row is a payee's net: its return fails every line the row paid.
          where l.payroll_id = ${id} and l.status = 'paid' and l.line_type <> 'emergency' and l.account_hash is not null
            and (l.id = r.id or l.payee_member_id = r.payee_member_id)
          returning l.id, l.amount_fen`.execute(trx)
        ).rows
      : [];
    const done = new Set(failed.map((f) => Number(f.id)));
    for (const k of ids) if (!done.has(k)) rejected.push({ line: 0, reason: `not_payable:${k}` });
    const amountFen = failed.reduce((s, f) => s + f.amount_fen, 0);
    const actor = getContext().actor;
    await trx
      .insertInto('payroll_actions')
      .values({
        payroll_id: id,
        action: 'returns_imported',
        actor_username: actor?.username ?? 'system',
        actor_role: actor?.role ?? null,
        reason: null,
        line_count: failed.length,
        total_fen: amountFen,
        detail: JSON.stringify({ rejected: rejected.length }),
      })
      .execute();
    await recordAudit(trx, {
      action: 'payroll.returns_imported',
      entity: 'payroll',
      entityId: id,
      regionCode: p.region_code,
      detail: { month: p.month, failed: failed.length, amountFen, rejected: rejected.length },
    });
    return { failed: failed.length, amountFen, rejected };
  });
}
