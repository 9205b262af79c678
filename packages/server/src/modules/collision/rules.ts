import { sql, type Kysely, type RawBuilder } from 'kysely';
import { RuleDefinition, type RuleCondition, type RuleDefinitionInput, type RuleSubject } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { dibaoStandardFenSql } from '../policy/service';

/**
 * Who a subject is, by household assistance status. Applicant households are neither
 * recipients nor non-recipients: an application is under way and its own checks run.
 */
export const SUBJECT_STATUSES: Record<Exclude<RuleSubject, 'unmatched'>, readonly string[]> = {
  recipient: ['dibao', 'tekun'],
  non_recipient: ['dibao_edge', 'low_income', 'none'],
  matched: ['dibao', 'tekun', 'dibao_edge', 'low_income', 'none', 'applicant'],
};

export type BuiltinRule = { code: string; nameZh: string; nameEn: string; definition: RuleDefinitionInput };

/** The demo default rule set: "The rules the labels assume" in the feeds' FORMATS.md. */
export const BUILTIN_RULES: readonly BuiltinRule[] = [
  {
    code: 'death.recipient',
    nameZh: '保障对象死亡：停发并提示理赔',
    nameEn: 'Death of a recipient: stop and prompt an insurance claim',
    definition: {
      recordTypes: ['death', 'cremation'],
      subject: 'recipient',
      once: 'person',
      outcomes: ['stop', 'claim_prompt'],
    },
  },
  {
    code: 'death.breadwinner',
    nameZh: '非保障家庭主要劳动力死亡：疑似困难线索',
    nameEn: 'Death of the breadwinner of a non-recipient household: lead',
    definition: {
      recordTypes: ['death', 'cremation'],
      subject: 'non_recipient',
      household: { breadwinner: true },
      once: 'person',
      outcomes: ['lead'],
    },
  },
  {
    code: 'custody.recipient',
    nameZh: '保障对象服刑或强制隔离戒毒：停发',
    nameEn: 'Recipient in prison or compulsory rehabilitation: stop',
    definition: {
      recordTypes: ['custody'],
      subject: 'recipient',
      where: [{ field: 'custody_type', op: 'in', value: ['prison', 'compulsory_rehab'] }],
      once: 'record',
      outcomes: ['stop'],
    },
  },
  {
    code: 'vehicle.recipient',
    nameZh: '保障对象登记非豁免车辆：复核',
    nameEn: 'Recipient registered a non-exempt vehicle: review',
    definition: {
      recordTypes: ['vehicle'],
      subject: 'recipient',
      // Three-wheel motorcycles and disability wheelchair vehicles do not count (FORMATS.md).
      where: [{ field: 'vehicle_type', op: 'not_in', value: ['M11', 'M12', 'M14', 'X99'] }],
      once: 'record',
      outcomes: ['review'],
    },
  },
  {
    code: 'property.recipient',
    nameZh: '保障对象新增不动产：复核',
    nameEn: 'Recipient registered real estate: review',
    definition: { recordTypes: ['property'], subject: 'recipient', once: 'record', outcomes: ['review'] },
  },
  {
    code: 'business.recipient',
    nameZh: '保障对象登记工商主体：复核',
    nameEn: 'Recipient registered a business: review',
    definition: { recordTypes: ['business'], subject: 'recipient', once: 'record', outcomes: ['review'] },
  },
  {
    code: 'wage.recipient',
    nameZh: '保障对象月工资达到保障标准 1.5 倍：复核',
    nameEn: 'Recipient’s monthly wage at 1.5 × the standard or more: review',
    definition: {
      recordTypes: ['wage'],
      subject: 'recipient',
      // 1.5 × the standard in force for the person's county in the month of the pay date.
      where: [{ field: 'monthly_wage_fen', op: 'gte', value: { timesStandardPerMille: 1500 } }],
      once: 'record',
      outcomes: ['review'],
    },
  },
  {
    code: 'medical.self_paid',
    nameZh: '非保障对象 12 个月自付医疗费用达 2 万元：疑似困难线索',
    nameEn: 'Non-recipient self-paid medical costs of 20,000 yuan in 12 months: lead',
    definition: {
      recordTypes: ['medical'],
      subject: 'non_recipient',
      aggregate: {
        field: 'self_paid_fen',
        fn: 'sum',
        windowMonths: 12,
        op: 'gte',
        // 20,000 yuan: the rule's own figure (no policy standard names it), edited on the rules page.
        value: 2_000_000,
      },
      once: 'person',
      outcomes: ['lead'],
    },
  },
  {
    code: 'disability.severe',
    nameZh: '非保障对象新办或调整为一、二级残疾：疑似困难线索',
    nameEn: 'Non-recipient with a new grade 1–2 disability certificate: lead',
    definition: {
      recordTypes: ['disability'],
      subject: 'non_recipient',
      where: [{ field: 'disability_grade', op: 'lte', value: 2 }],
      once: 'record',
      outcomes: ['lead'],
    },
  },
];

/** Seeds the builtin rules as version 1; rules already there (edited or not) are left alone. */
export async function seedBuiltinRules(db: Kysely<DB>): Promise<number> {
  let added = 0;
  for (const rule of BUILTIN_RULES) {
    const definition = RuleDefinition.parse(rule.definition);
    const inserted = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('collision_rules')
        .values({ code: rule.code, name_zh: rule.nameZh, name_en: rule.nameEn, builtin: true, current_version: 1 })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await trx
        .insertInto('collision_rule_versions')
        .values({
          rule_id: row.id,
          version: 1,
          definition: JSON.stringify(definition),
          note: null,
          created_by: 'system',
        })
        .execute();
      return true;
    });
    if (inserted) added++;
  }
  return added;
}

/** Fields a condition may name besides the record's data: the record's own columns. */
const RECORD_COLUMNS = new Set(['event_date']);
const SAFE_FIELD = /^[a-z][a-z0-9_]{0,62}$/;

/** A rule's definition, checked again at compile time: whatever the source, no SQL gets through. */
export function checkDefinition(definition: unknown): RuleDefinition {
  const parsed = RuleDefinition.safeParse(definition);
  if (!parsed.success)
    throw new Error(`invalid rule definition: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  for (const c of parsed.data.where) if (!SAFE_FIELD.test(c.field)) throw new Error('invalid field name');
  if (parsed.data.aggregate && !SAFE_FIELD.test(parsed.data.aggregate.field)) throw new Error('invalid field name');
  return parsed.data;
}

/** A numeric reading of a JSON field: numbers and numeric strings; anything else is null (the condition fails). */
function numericField(alias: string, field: string): RawBuilder<number> {
  const v = sql`${sql.ref(`${alias}.data`)} -> ${field}`;
  return sql<number>`(case jsonb_typeof(${v}) when 'number' then (${v} #>> '{}')::numeric
    when 'string' then case when (${v} #>> '{}') ~ '^-?[0-9]+(\\.[0-9]+)?$' then (${v} #>> '{}')::numeric end end)`;
}

function textField(alias: string, field: string): RawBuilder<string> {
  if (RECORD_COLUMNS.has(field)) return sql<string>`${sql.ref(`${alias}.${field}`)}::text`;
  return sql<string>`(${sql.ref(`${alias}.data`)} ->> ${field})`;
}

const CMP: Record<'eq' | 'ne' | 'gte' | 'gt' | 'lte' | 'lt', string> = {
  eq: '=',
  ne: '<>',
  gte: '>=',
  gt: '>',
  lte: '<=',
  lt: '<',
};

/** Where a condition relative to the policy finds the person's county and the record's month. */
export type ConditionContext = {
  cityCode: string;
  /** The person's region (village code; the city for people in nobody's file). */
  regionCode: RawBuilder<unknown>;
  /** The record's event date: the standard in force in its month applies. */
  eventDate: RawBuilder<unknown>;
};

/** One condition as SQL on `alias.data`; values are always bind parameters. */
export function conditionSql(alias: string, c: RuleCondition, ctx?: ConditionContext): RawBuilder<boolean> {
  if (c.op === 'in' || c.op === 'not_in') {
    const list = c.value as (string | number)[];
    const numeric = list.every((v) => typeof v === 'number') && !RECORD_COLUMNS.has(c.field);
    const lhs = numeric ? numericField(alias, c.field) : textField(alias, c.field);
    const arr = numeric ? sql`${list}::numeric[]` : sql`${list.map(String)}::text[]`;
    return c.op === 'in'
      ? sql<boolean>`${lhs} = any(${arr})`
      : sql<boolean>`(${lhs} is not null and not (${lhs} = any(${arr})))`;
  }
  const op = sql.raw(CMP[c.op]);
  if (typeof c.value === 'object' && c.value !== null && !Array.isArray(c.value)) {
    if (!ctx) throw new Error('a condition relative to the standard needs the person and the record');
    const standard = dibaoStandardFenSql(ctx.cityCode, ctx.regionCode, ctx.eventDate);
    // Compared exactly (numeric): 1.5 × 90,000 fen is 135,000, never a rounded neighbour.
    return sql<boolean>`${numericField(alias, c.field)} ${op} (${standard} * ${c.value.timesStandardPerMille}::numeric / 1000)`;
  }
  if (typeof c.value === 'number' && !RECORD_COLUMNS.has(c.field))
    return sql<boolean>`${numericField(alias, c.field)} ${op} ${c.value}::numeric`;
  return sql<boolean>`${textField(alias, c.field)} ${op} ${String(c.value)}::text`;
}

/** Household of 2 or more whose only largest wage + business earner (> 0) is the member. */
function breadwinnerSql(memberId: RawBuilder<unknown>): RawBuilder<boolean> {
  const earn = (a: string) =>
    sql`(coalesce((${sql.ref(`${a}.income`)} ->> 'wage')::numeric, 0) + coalesce((${sql.ref(`${a}.income`)} ->> 'business')::numeric, 0))`;
  return sql<boolean>`exists (
    select 1 from members bw
    where bw.id = ${memberId}
      and ${earn('bw')} > 0
      and exists (select 1 from members o where o.household_id = bw.household_id and o.id <> bw.id)
      and not exists (
        select 1 from members o where o.household_id = bw.household_id and o.id <> bw.id and ${earn('o')} >= ${earn('bw')}
      )
  )`;
}

export type CompileContext = {
  runId: string;
  /** Restricts unmatched subjects (which read feed_records directly) to the batch. */
  batchId: string | null;
  asOf: string;
  /** Region of signals on people in nobody's file (the city: only city-level staff see them). */
  cityCode: string;
};

export type CompiledRule = {
  /** Rows: record_id, id_hash, member_id, household_id, region_code, batch_id, detail, dedupe_key. */
  hits: RawBuilder<unknown>;
  /** The monthly sums `hits` reads: built with ensureMonthSums, in the same transaction, first. */
  monthSums?: MonthSums;
};

/** Which monthly sums an aggregate reads (feed_month_sums, migration 0104). */
export type MonthSums = { recordTypes: string[]; field: string };

/**
 * Builds the monthly sums of every loaded batch that has none yet for these record types and
 * this field: set-based, one statement per batch and record type over that batch's records (by
 * feed_records_batch_idx for a small batch). The marker row goes in first: a run doing the same
 * at once waits for it and then skips the batch.
 */
export async function ensureMonthSums(trx: Kysely<DB>, { recordTypes, field }: MonthSums): Promise<void> {
  if (!SAFE_FIELD.test(field)) throw new Error('invalid field name');
  const todo = await sql<{ batch_id: string; record_type: string }>`
    insert into feed_month_sum_batches (batch_id, record_type, field)
    select b.id, t.record_type, ${field}::text
    from feed_batches b cross join unnest(${recordTypes}::text[]) as t(record_type)
    where b.status = 'loaded'
    on conflict do nothing
    returning batch_id, record_type`.execute(trx);
  if (todo.rows.length === 0) return;
  // The batch's records are found by their id range (the range from feed_records_batch_idx): a
  // batch just loaded has no statistics yet, and by its id alone the planner took it for the
  // whole table and read all of feed_records (or every record of the type) for 10,000 rows; the
  // range it estimates right. Grouped by sorting: nearly every group is one record, and a hash of
  // 350,000 groups of three numeric sums spills to disk; sorted, the rows also reach the primary
  // key in its order.
  const was = await sql<{ hashagg: string; seqscan: string }>`
    select current_setting('enable_hashagg') as hashagg, current_setting('enable_seqscan') as seqscan`.execute(trx);
  const restore = sql`select set_config('enable_hashagg', ${was.rows[0]!.hashagg}, true),
    set_config('enable_seqscan', ${was.rows[0]!.seqscan}, true)`;
  let built = 0;
  for (const { batch_id, record_type } of todo.rows) {
    await sql`select set_config('enable_seqscan', 'off', true)`.execute(trx);
    const range = await sql<{ lo: string | null; hi: string | null }>`
      with batch as materialized (select id from feed_records where batch_id = ${batch_id}::uuid)
      select min(id)::text as lo, max(id)::text as hi from batch`.execute(trx);
    await restore.execute(trx);
    const { lo, hi } = range.rows[0] ?? { lo: null, hi: null };
    if (lo === null || hi === null) continue;
    await sql`select set_config('enable_hashagg', 'off', true)`.execute(trx);
    const res = await sql`
      insert into feed_month_sums (record_type, field, id_hash, month, batch_id, n, total, pos, neg)
      select record_type, ${field}::text, id_hash, month, batch_id,
        count(*)::int, sum(v), sum(v) filter (where v > 0), sum(v) filter (where v < 0)
      from (
        select r.record_type, r.id_hash, date_trunc('month', r.event_date::timestamp)::date as month, r.batch_id,
          ${numericField('r', field)} as v
        from feed_records r
        where r.id between ${lo}::bigint and ${hi}::bigint and r.batch_id = ${batch_id}::uuid
          and r.record_type = ${record_type}
        offset 0 -- the reading once per record, not once per aggregate that uses it
      ) x
      group by record_type, id_hash, month, batch_id`.execute(trx);
    built += Number(res.numAffectedRows ?? 0);
    await restore.execute(trx);
  }
  // Fresh statistics after a large build, or the planner reads all of a just-filled table to find
  // a batch's few hundred subjects (PGlite never analyses on its own). After a small one, as
  // autovacuum would, not: an analyse costs a batch run more than reading its subjects' sums.
  const stats = await sql<{ rows: number }>`
    select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'feed_month_sums'::regclass`.execute(trx);
  if (built > 1_000 + 0.1 * Number(stats.rows[0]?.rows ?? 0)) await sql`analyze feed_month_sums`.execute(trx);
}

/**
 * Compiles a definition to one parameterised SELECT of the rule's hits. Matched subjects read
 * the run's matches (collision_matches); unmatched ones read loaded feed records nobody's
 * number matches. Aggregates sum over all loaded records of the person in the window ending
 * at the run's as-of date.
 */
export function compileRule(definitionInput: unknown, ctx: CompileContext): CompiledRule {
  const d = checkDefinition(definitionInput);
  const types = sql`${d.recordTypes}::text[]`;
  const conds = (alias: string, regionCode: RawBuilder<unknown>) =>
    d.where.map((c) =>
      conditionSql(alias, c, { cityCode: ctx.cityCode, regionCode, eventDate: sql.ref(`${alias}.event_date`) }),
    );
  const and = (parts: RawBuilder<unknown>[]) => (parts.length === 0 ? sql`true` : sql.join(parts, sql` and `));
  const keyOf = (recordId: RawBuilder<unknown>, idHash: RawBuilder<unknown>) =>
    d.once === 'person' ? sql`'p:' || ${idHash}` : sql`'r:' || ${recordId}::text`;

  // The subject's records: (record id, id_hash, member, household, region, batch, event_date, data).
  let subject: RawBuilder<unknown>;
  if (d.subject === 'unmatched') {
    subject = sql`select r.id as record_id, r.id_hash, null::uuid as member_id, null::uuid as household_id,
        ${ctx.cityCode}::text as region_code, r.batch_id, r.event_date, r.data
      from feed_records r join feed_batches b on b.id = r.batch_id and b.status = 'loaded'
      where r.record_type = any(${types})
        ${ctx.batchId ? sql`and r.batch_id = ${ctx.batchId}::uuid` : sql``}
        and not exists (select 1 from members x where x.id_hash = r.id_hash)`;
  } else {
    const statuses = SUBJECT_STATUSES[d.subject];
    // The record's data only when a condition reads it (by primary key, for the few candidates left).
    const needData = d.where.length > 0 && !d.aggregate;
    subject = sql`select m.record_id, m.id_hash, m.member_id, m.household_id, m.region_code, m.batch_id
        ${needData ? sql`, r.event_date, r.data` : sql``}
      from collision_matches m
      ${needData ? sql`join feed_records r on r.id = m.record_id` : sql``}
      where m.run_id = ${ctx.runId}::uuid and m.record_type = any(${types})
        and m.assistance_status = any(${[...statuses]}::text[])
        ${d.household?.breadwinner ? sql`and ${breadwinnerSql(sql.ref('m.member_id'))}` : sql``}`;
  }

  if (!d.aggregate) {
    const hits = sql`select s.record_id, s.id_hash, s.member_id, s.household_id, s.region_code, s.batch_id,
        '{}'::jsonb as detail, ${keyOf(sql.ref('s.record_id'), sql.ref('s.id_hash'))} as dedupe_key
      from (${subject}) s where ${and(conds('s', sql.ref('s.region_code')))}`;
    return { hits };
  }

  const a = d.aggregate;
  const from = sql`(${ctx.asOf}::date - make_interval(months => ${a.windowMonths}::int))::date`;
  const value = a.fn === 'sum' ? sql`sum(${numericField('recs', a.field)})` : sql`count(*)::numeric`;
  const op = sql.raw(CMP[a.op]);
  const persons = sql`persons as (
      select distinct on (s.id_hash) s.id_hash, s.member_id, s.household_id, s.region_code from (${subject}) s
    )`;
  const inWindow = sql`r.record_type = any(${types}) and r.event_date > ${from} and r.event_date <= ${ctx.asOf}::date`;
  const tail = sql`agg as (
      select recs.id_hash, ${value} as total
      from recs
      group by recs.id_hash
      having ${value} ${op} ${a.value}::numeric
    )
    select recs.record_id, recs.id_hash, p.member_id, p.household_id, p.region_code, recs.batch_id,
      jsonb_build_object('fn', ${a.fn}::text, 'field', ${a.field}::text, 'total', agg.total,
        'windowMonths', ${a.windowMonths}::int, 'after', ${from}, 'through', ${ctx.asOf}::date) as detail,
      ${keyOf(sql.ref('recs.record_id'), sql.ref('recs.id_hash'))} as dedupe_key
    from recs join agg on agg.id_hash = recs.id_hash join persons p on p.id_hash = recs.id_hash`;

  if (d.where.length === 0) {
    // Reading every record of every subject in the window is what cost (the medical history of
    // ~26,000 people: a read of most of feed_records). The monthly sums bound each person's
    // window instead — months wholly inside it exactly, the two part months at its ends by their
    // positive (or negative) readings — and only the people whose bound can pass are read record
    // by record, which decides exactly and gives the links. A bound never drops a person the
    // exact sum would keep, so the hits are those of the record-by-record statement.
    const fullMonth = sql`(ms.month > ${from} and (ms.month + interval '1 month' - interval '1 day')::date <= ${ctx.asOf}::date)`;
    const bound =
      a.fn === 'sum'
        ? {
            up: sql`coalesce(w.full_total, 0) + coalesce(w.edge_pos, 0)`,
            down: sql`coalesce(w.full_total, 0) + coalesce(w.edge_neg, 0)`,
            exact: sql`w.full_total`,
          }
        : {
            up: sql`coalesce(w.full_n, 0) + coalesce(w.edge_n, 0)`,
            down: sql`coalesce(w.full_n, 0)`,
            exact: sql`coalesce(w.full_n, 0)`,
          };
    const passes =
      a.op === 'gte' || a.op === 'gt'
        ? sql`${bound.up} ${op} ${a.value}::numeric`
        : a.op === 'lte' || a.op === 'lt'
          ? sql`${bound.down} ${op} ${a.value}::numeric`
          : sql`(coalesce(w.edge_n, 0) > 0 or ${bound.exact} ${op} ${a.value}::numeric)`;
    const hits = sql`with ${persons},
    sums as (
      select ms.id_hash, ${fullMonth} as full_month, ms.n, ms.total, ms.pos, ms.neg
      from feed_month_sums ms join feed_batches b on b.id = ms.batch_id and b.status = 'loaded'
        join persons p on p.id_hash = ms.id_hash
      where ms.record_type = any(${types}) and ms.field = ${a.field}::text
        and ms.month >= date_trunc('month', (${from} + 1)::timestamp)::date and ms.month <= ${ctx.asOf}::date
    ),
    candidates as materialized (
      select w.id_hash from (
        select id_hash,
          sum(total) filter (where full_month) as full_total, sum(n) filter (where full_month) as full_n,
          sum(pos) filter (where not full_month) as edge_pos, sum(neg) filter (where not full_month) as edge_neg,
          sum(n) filter (where not full_month) as edge_n
        from sums group by id_hash
      ) w
      where ${passes}
    ),
    recs as (
      select r.id as record_id, r.id_hash, r.batch_id, r.event_date, r.data
      from candidates c
        cross join lateral (select * from feed_records r where r.id_hash = c.id_hash and ${inWindow}) r
        join feed_batches b on b.id = r.batch_id and b.status = 'loaded'
    ),
    ${tail}`;
    return { hits, monthSums: { recordTypes: d.recordTypes, field: a.field } };
  }

  const hits = sql`with ${persons},
    recs as (
      select r.id as record_id, r.id_hash, r.batch_id, r.event_date, r.data
      from feed_records r join feed_batches b on b.id = r.batch_id and b.status = 'loaded'
        join persons p on p.id_hash = r.id_hash
      where ${inWindow}
        and ${and(conds('r', sql.ref('p.region_code')))}
    ),
    ${tail}`;
  return { hits };
}
