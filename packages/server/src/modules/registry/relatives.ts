import type { Kysely } from 'kysely';
import { maskIdNumber, validateIdNumber, type StaffRelative, type StaffRelativeInput } from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { Conflict, Forbidden, Invalid, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';

/** 近亲属备案: relatives of staff and village cadres in the caller's region. */
export async function listStaffRelatives(
  db: Kysely<DB>,
  page: number,
  pageSize: number,
): Promise<{ items: StaffRelative[]; total: number }> {
  const q = db.selectFrom('staff_relatives').where(inScope('region_code'));
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      regionCode: r.region_code,
      staffName: r.staff_name,
      staffPosition: r.staff_position,
      relativeName: r.relative_name,
      relativeIdMasked: r.relative_id_masked,
      relation: r.relation,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
    })),
    total: Number(count.n),
  };
}

export async function addStaffRelative(
  db: Kysely<DB>,
  protector: Protector,
  input: StaffRelativeInput,
): Promise<string> {
  const { lang, actor } = getContext();
  if (!isInScope(input.regionCode)) throw Forbidden('error.outOfRegion');
  const region = await db.selectFrom('regions').select('code').where('code', '=', input.regionCode).executeTakeFirst();
  if (!region) throw InvalidField('regionCode', 'error.regionUnknown');
  const v = validateIdNumber(input.relativeIdNumber);
  if (!v.ok) throw Invalid([{ path: 'relativeIdNumber', message: v.message[lang] }]);
  const hash = protector.idHash(v.idNumber);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('staff_relatives')
      .values({
        region_code: input.regionCode,
        staff_name: input.staffName,
        staff_position: input.staffPosition,
        relative_name: input.relativeName,
        relative_id_enc: protector.encrypt(v.idNumber, 'staff_relative.id_number'),
        relative_id_hash: hash,
        relative_id_masked: maskIdNumber(v.idNumber),
        relation: input.relation,
        created_by: actor?.username ?? 'system',
      })
      .onConflict((oc) => oc.columns(['relative_id_hash', 'staff_name']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw Conflict('registry.relativeExists');
    await recordAudit(trx, {
      action: 'staff_relative.create',
      entity: 'staff_relative',
      entityId: row.id,
      regionCode: input.regionCode,
    });
    return row.id;
  });
}

export async function removeStaffRelative(db: Kysely<DB>, id: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw NotFound('entity.staffRelative');
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('staff_relatives')
      .where('id', '=', id)
      .where(inScope('region_code'))
      .returning('region_code')
      .executeTakeFirst();
    if (!row) throw NotFound('entity.staffRelative');
    await recordAudit(trx, {
      action: 'staff_relative.delete',
      entity: 'staff_relative',
      entityId: id,
      regionCode: row.region_code,
    });
  });
}
