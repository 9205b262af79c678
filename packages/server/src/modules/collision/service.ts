import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  CollisionRule,
  CollisionRuleDetail,
  CollisionRuleInput,
  CollisionRuleUpdate,
  CollisionRun,
  CollisionRunPage,
  RuleDefinition,
  Signal,
  SignalPage,
  SignalQuery,
  SignalStatusUpdate,
} from '@jiuzhu/shared';
import {
  CollisionRuleInput as RuleInputSchema,
  normalizeIdNumber,
  SignalQuery as SignalQuerySchema,
} from '@jiuzhu/shared';
import { currentActor, findContext } from '../../context';
import { inScope, isInScope } from '../../db/scope';
import type { CollisionRunsTable, DB } from '../../db/schema';
import { Conflict, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { checkDefinition } from './rules';
import { recordFieldLabels } from '../exchange/service';

// The module's public surface: runs are requested here and executed by the job worker.
export { COLLISION_RUN_JOB, requestCollisionRun, runCollision } from './run';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const actorName = () => currentActor()?.username ?? 'system';

// ---------------------------------------------------------------- rules

type RuleRow = {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  active: boolean;
  builtin: boolean;
  current_version: number;
  created_at: Date;
  updated_at: Date;
  definition: unknown;
};

function ruleOf(r: RuleRow): CollisionRule {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    active: r.active,
    builtin: r.builtin,
    currentVersion: r.current_version,
    definition: r.definition as RuleDefinition,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

function rulesQuery(db: Kysely<DB>) {
  return db
    .selectFrom('collision_rules as r')
    .innerJoin('collision_rule_versions as v', (j) =>
      j.onRef('v.rule_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
    )
    .select([
      'r.id',
      'r.code',
      'r.name_zh',
      'r.name_en',
      'r.active',
      'r.builtin',
      'r.current_version',
      'r.created_at',
      'r.updated_at',
      'v.definition',
    ]);
}

export async function listRules(db: Kysely<DB>): Promise<{ items: CollisionRule[] }> {
  const rows = await rulesQuery(db).orderBy('r.code').execute();
  return { items: rows.map(ruleOf) };
}

export async function getRule(db: Kysely<DB>, id: string): Promise<CollisionRuleDetail> {
  if (!UUID.test(id)) throw NotFound('entity.collisionRule');
  const row = await rulesQuery(db).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.collisionRule');
  const versions = await db
    .selectFrom('collision_rule_versions')
    .selectAll()
    .where('rule_id', '=', id)
    .orderBy('version', 'desc')
    .execute();
  return {
    ...ruleOf(row),
    versions: versions.map((v) => ({
      version: v.version,
      definition: v.definition as RuleDefinition,
      note: v.note,
      createdBy: v.created_by,
      createdAt: iso(v.created_at)!,
    })),
  };
}

/**
 * A definition's fields must be columns of the kinds of its record types (when such kinds
 * exist), so a typo cannot make a rule that never fires.
 */
async function checkFields(db: Kysely<DB>, definition: RuleDefinition): Promise<void> {
  const kinds = await db
    .selectFrom('feed_kinds')
    .select('columns')
    .where('record_type', 'in', definition.recordTypes)
    .execute();
  if (kinds.length === 0) return;
  const names = new Set<string>(['event_date']);
  for (const k of kinds) for (const c of (k.columns as { name?: string }[]) ?? []) if (c.name) names.add(c.name);
  definition.where.forEach((c, i) => {
    if (!names.has(c.field))
      throw InvalidField(`definition.where.${i}.field`, 'collision.unknownField', { field: c.field });
  });
  if (definition.aggregate && !names.has(definition.aggregate.field))
    throw InvalidField('definition.aggregate.field', 'collision.unknownField', { field: definition.aggregate.field });
}

export async function createRule(db: Kysely<DB>, input: CollisionRuleInput): Promise<CollisionRuleDetail> {
  const body = RuleInputSchema.parse(input);
  const definition = checkDefinition(body.definition);
  await checkFields(db, definition);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('collision_rules')
      .values({ code: body.code, name_zh: body.nameZh, name_en: body.nameEn, active: body.active, current_version: 1 })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw Conflict('collision.ruleCodeTaken');
    await trx
      .insertInto('collision_rule_versions')
      .values({
        rule_id: row.id,
        version: 1,
        definition: JSON.stringify(definition),
        note: body.note ?? null,
        created_by: actorName(),
      })
      .execute();
    await recordAudit(trx, {
      action: 'collision_rule.create',
      entity: 'collision_rule',
      entityId: row.id,
      detail: { code: body.code, version: 1 },
    });
    return row.id;
  });
  return getRule(db, id);
}

/** An edit is a new version; the current version moves to it (names change in place). */
export async function updateRule(db: Kysely<DB>, id: string, input: CollisionRuleUpdate): Promise<CollisionRuleDetail> {
  if (!UUID.test(id)) throw NotFound('entity.collisionRule');
  const definition = checkDefinition(input.definition);
  await checkFields(db, definition);
  await db.transaction().execute(async (trx) => {
    const rule = await trx
      .selectFrom('collision_rules')
      .select(['id', 'code', 'current_version'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!rule) throw NotFound('entity.collisionRule');
    const version = rule.current_version + 1;
    await trx
      .insertInto('collision_rule_versions')
      .values({
        rule_id: id,
        version,
        definition: JSON.stringify(definition),
        note: input.note,
        created_by: actorName(),
      })
      .execute();
    await trx
      .updateTable('collision_rules')
      .set({
        current_version: version,
        updated_at: new Date(),
        ...(input.nameZh ? { name_zh: input.nameZh } : {}),
        ...(input.nameEn ? { name_en: input.nameEn } : {}),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      action: 'collision_rule.update',
      entity: 'collision_rule',
      entityId: id,
      detail: { code: rule.code, version },
    });
  });
  return getRule(db, id);
}

export async function setRuleActive(db: Kysely<DB>, id: string, active: boolean): Promise<CollisionRule> {
  if (!UUID.test(id)) throw NotFound('entity.collisionRule');
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('collision_rules')
      .set({ active, updated_at: new Date() })
      .where('id', '=', id)
      .returning('code')
      .executeTakeFirst();
    if (!row) throw NotFound('entity.collisionRule');
    await recordAudit(trx, {
      action: active ? 'collision_rule.activate' : 'collision_rule.deactivate',
      entity: 'collision_rule',
      entityId: id,
      detail: { code: row.code },
    });
  });
  const row = await rulesQuery(db).where('r.id', '=', id).executeTakeFirstOrThrow();
  return ruleOf(row);
}

// ---------------------------------------------------------------- runs

type RunRow = Selectable<CollisionRunsTable>;

function runOf(r: RunRow): CollisionRun {
  return {
    id: r.id,
    runNo: Number(r.run_no),
    batchId: r.batch_id,
    status: r.status,
    rulesDone: r.rules_done,
    rulesTotal: r.rules_total,
    signalsCreated: r.signals_created,
    recordsLinked: r.records_linked,
    recordsMatched: r.records_matched,
    recordsTotal: r.records_total,
    error: r.error,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

export async function listRuns(db: Kysely<DB>, page: number, pageSize: number): Promise<CollisionRunPage> {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('collision_runs')
      .selectAll()
      .orderBy('run_no', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('collision_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(runOf), total: Number(total.n) };
}

export async function getRun(db: Kysely<DB>, id: string): Promise<CollisionRun> {
  if (!UUID.test(id)) throw NotFound('entity.collisionRun');
  const row = await db.selectFrom('collision_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.collisionRun');
  return runOf(row);
}

/** Checks a run request's batch before it is queued. */
export async function checkRunBatch(db: Kysely<DB>, batchId: string | undefined): Promise<void> {
  if (!batchId) return;
  const batch = await db.selectFrom('feed_batches').select('status').where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw NotFound('entity.feedBatch');
  if (batch.status !== 'loaded') throw Conflict('collision.batchNotLoaded');
}

export async function auditRunRequest(db: Kysely<DB>, runId: string, batchId: string | undefined): Promise<void> {
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      action: 'collision_run.request',
      entity: 'collision_run',
      entityId: runId,
      detail: { batchId: batchId ?? null },
    }),
  );
}

// ---------------------------------------------------------------- signals

function signalsBase(db: Kysely<DB>) {
  return db
    .selectFrom('signals as s')
    .innerJoin('collision_rules as r', 'r.id', 's.rule_id')
    .leftJoin('members as m', 'm.id', 's.member_id')
    .leftJoin('households as h', 'h.id', 's.household_id')
    .leftJoin('regions as g', 'g.code', 's.region_code')
    .where(inScope('s.region_code'));
}

type SignalFilter = ReturnType<typeof SignalQuerySchema.parse>;

/** The blind index of an ID number (the protector's), for a search by a whole number. */
export type IdHasher = (normalisedId: string) => string;

function filtered(db: Kysely<DB>, q: Partial<SignalFilter>, idHash?: IdHasher) {
  let query = signalsBase(db);
  if (q.q) {
    const id = normalizeIdNumber(q.q);
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // A 户编号 has 18 digits too: a number shaped like an ID number is looked up as both.
    const hash = /^\d{17}[\dX]$/.test(id) && idHash ? idHash(id) : null;
    query = query.where((eb) =>
      eb.or([
        eb('m.name', 'like', like),
        eb('h.household_no', 'like', like),
        ...(hash ? [eb('m.id_hash', '=', hash)] : []),
      ]),
    );
  }
  if (q.outcome) query = query.where('s.outcome', '=', q.outcome);
  if (q.status) query = query.where('s.status', '=', q.status);
  if (q.ruleId) query = query.where('s.rule_id', '=', q.ruleId);
  if (q.batchId) query = query.where('s.batch_id', '=', q.batchId);
  if (q.regionCode) query = query.where(sql<boolean>`s.region_code like ${q.regionCode + '%'}`);
  if (q.recordType)
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('signal_records as sr')
          .innerJoin('feed_records as fr', 'fr.id', 'sr.record_id')
          .select(sql`1`.as('one'))
          .whereRef('sr.signal_id', '=', 's.id')
          .where('fr.record_type', '=', q.recordType!),
      ),
    );
  return query;
}

async function signalsOf(db: Kysely<DB>, rows: Awaited<ReturnType<typeof selectSignals>>): Promise<Signal[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const recs = await db
    .selectFrom('signal_records as sr')
    .innerJoin('feed_records as fr', 'fr.id', 'sr.record_id')
    .innerJoin('feed_kinds as k', 'k.code', 'fr.kind_code')
    .select([
      'k.name_zh as kind_name_zh',
      'k.name_en as kind_name_en',
      'k.columns',
      'sr.signal_id',
      'fr.id',
      'fr.batch_id',
      'fr.kind_code',
      'fr.record_type',
      'fr.record_key',
      'fr.event_date',
      'fr.data',
      'fr.name',
      'fr.id_masked',
    ])
    .where('sr.signal_id', 'in', ids)
    .orderBy('fr.event_date')
    .orderBy('fr.id')
    .execute();
  const lang = findContext()?.lang ?? 'zh-CN';
  const bySignal = new Map<string, typeof recs>();
  for (const r of recs) bySignal.set(r.signal_id, [...(bySignal.get(r.signal_id) ?? []), r]);
  return rows.map((s) => {
    const linked = bySignal.get(s.id) ?? [];
    return {
      id: s.id,
      signalNo: Number(s.signal_no),
      outcome: s.outcome,
      status: s.status,
      rule: {
        id: s.rule_id,
        code: s.rule_code,
        nameZh: s.rule_name_zh,
        nameEn: s.rule_name_en,
        version: s.rule_version,
      },
      person: {
        memberId: s.member_id,
        name: s.member_name ?? linked[0]?.name ?? '',
        idMasked: s.member_id_masked ?? linked[0]?.id_masked ?? '',
        householdId: s.household_id,
        householdNo: s.household_no,
        regionCode: s.region_code,
        villageName: s.village_name,
      },
      regionCode: s.region_code,
      detail: s.detail as Record<string, unknown>,
      batchId: s.batch_id,
      records: linked.map((r) => ({
        id: Number(r.id),
        batchId: r.batch_id,
        kindCode: r.kind_code,
        recordType: r.record_type,
        recordKey: r.record_key,
        eventDate: String(r.event_date),
        data: r.data as Record<string, unknown>,
        kindName: lang === 'en-US' ? r.kind_name_en : r.kind_name_zh,
        fields: recordFieldLabels(r.columns, lang),
      })),
      note: s.note,
      handledBy: s.handled_by,
      handledAt: iso(s.handled_at),
      createdAt: iso(s.created_at)!,
      updatedAt: iso(s.updated_at)!,
    };
  });
}

function selectSignals(query: ReturnType<typeof filtered>) {
  return query
    .select([
      's.id',
      's.signal_no',
      's.outcome',
      's.status',
      's.rule_id',
      's.rule_version',
      's.member_id',
      's.household_id',
      's.region_code',
      's.detail',
      's.batch_id',
      's.note',
      's.handled_by',
      's.handled_at',
      's.created_at',
      's.updated_at',
      'r.code as rule_code',
      'r.name_zh as rule_name_zh',
      'r.name_en as rule_name_en',
      'm.name as member_name',
      'm.id_masked as member_id_masked',
      'h.household_no',
      'g.name as village_name',
    ])
    .execute();
}

export async function listSignals(db: Kysely<DB>, q: SignalQuery, idHash?: IdHasher): Promise<SignalPage> {
  const query = SignalQuerySchema.parse(q);
  const base = filtered(db, query, idHash);
  const [rows, total] = await Promise.all([
    selectSignals(
      base
        .orderBy('s.signal_no', 'desc')
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
    ),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await signalsOf(db, rows), total: Number(total.n) };
}

export async function getSignal(db: Kysely<DB>, id: string): Promise<Signal> {
  if (!UUID.test(id)) throw NotFound('entity.signal');
  const rows = await selectSignals(filtered(db, {}).where('s.id', '=', id));
  if (rows.length === 0) throw NotFound('entity.signal');
  return (await signalsOf(db, rows))[0]!;
}

export async function updateSignalStatus(db: Kysely<DB>, id: string, body: SignalStatusUpdate): Promise<Signal> {
  if (!UUID.test(id)) throw NotFound('entity.signal');
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('signals')
      .select(['id', 'status', 'region_code'])
      .where('id', '=', id)
      .where(inScope('region_code'))
      .forUpdate()
      .executeTakeFirst();
    if (!row || !isInScope(row.region_code)) throw NotFound('entity.signal');
    await trx
      .updateTable('signals')
      .set({
        status: body.status,
        note: body.note,
        handled_by: actorName(),
        handled_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      action: 'signal.status',
      entity: 'signal',
      entityId: id,
      regionCode: row.region_code,
      detail: { from: row.status, to: body.status },
    });
  });
  return getSignal(db, id);
}

/**
 * Marks a signal handled inside the caller's transaction (another module's action on it: a review
 * opened, an enrolment ended). The caller's own audit row names the signal: one request, one row.
 * Returns the status before.
 */
export async function markSignalIn(
  trx: Transaction<DB>,
  id: string,
  status: 'in_progress' | 'resolved',
  note: string,
): Promise<string | null> {
  const row = await trx
    .selectFrom('signals')
    .select(['status', 'region_code'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return null;
  if (row.status === status || row.status === 'resolved') return row.status;
  await trx
    .updateTable('signals')
    .set({ status, note, handled_by: actorName(), handled_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  return row.status;
}
