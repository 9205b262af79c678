import {
  parseYuan,
  type FeedColumn,
  type FeedSource,
  type RuleDefinition,
  type RuleOp,
  type RuleSubject,
  type SignalOutcome,
} from '@jiuzhu/shared';

/**
 * The rule editor's form model and its conversion to and from a rule definition. Amounts are
 * typed in 元 (fen never reaches the screen); a threshold can instead be a multiple of the 低保
 * standard ("× 低保标准", stored as timesStandardPerMille).
 */

/** How a condition's value is written: an amount in 元, a multiple of the standard, a number, text or a list. */
export type ValueMode = 'yuan' | 'standard' | 'number' | 'text' | 'list';

export type ConditionForm = { field: string; op: RuleOp; mode: ValueMode; amount?: string; list?: string[] };

export type AggregateForm = {
  field: string;
  fn: 'sum' | 'count';
  windowMonths: number;
  op: 'eq' | 'gte' | 'gt' | 'lte' | 'lt';
  amount: string;
};

export type RuleFormValues = {
  nameZh: string;
  nameEn: string;
  recordTypes: string[];
  subject: RuleSubject;
  once: 'record' | 'person';
  outcomes: SignalOutcome[];
  breadwinner: boolean;
  where: ConditionForm[];
  hasAggregate: boolean;
  aggregate?: AggregateForm;
  note: string;
};

/** A column a condition can name: the feed kinds' columns, plus the record's event date. */
export type FieldOption = Pick<FeedColumn, 'name' | 'type' | 'labelZh' | 'labelEn' | 'values'>;

export const EVENT_DATE: FieldOption = { name: 'event_date', type: 'date', labelZh: '事件日期', labelEn: 'Event date' };

/** The identifying columns are not conditions (a rule matches people, it does not name them). */
const NOT_CONDITIONS = new Set(['record_id', 'id_number', 'name']);

/** The columns of the kinds whose record type the rule reads, first label wins; never protected ones. */
export function fieldsOf(sources: readonly FeedSource[], recordTypes: readonly string[]): FieldOption[] {
  const byName = new Map<string, FieldOption>([[EVENT_DATE.name, EVENT_DATE]]);
  for (const s of sources)
    for (const k of s.kinds)
      if (recordTypes.includes(k.recordType))
        for (const c of k.columns)
          if (!c.protected && !NOT_CONDITIONS.has(c.name) && !byName.has(c.name)) byName.set(c.name, c);
  return [...byName.values()];
}

/** A fen column's label without its unit: the editor shows 元. */
export function fieldLabel(f: FieldOption, lang: 'zh-CN' | 'en-US'): string {
  return lang === 'en-US' ? f.labelEn.replace(/\s*\(fen\)$/, '') : f.labelZh.replace(/（分）$/, '');
}

const isNumeric = (f: FieldOption | undefined) => f?.type === 'integer' || f?.type === 'decimal' || f?.type === 'fen';

/** The value modes a field and operator allow, the first being the default. */
export function modesFor(field: FieldOption | undefined, op: RuleOp): ValueMode[] {
  if (op === 'in' || op === 'not_in') return ['list'];
  if (field?.type === 'fen') return ['yuan', 'standard'];
  return isNumeric(field) ? ['number'] : ['text'];
}

export const fenToYuanText = (fen: number) =>
  fen % 100 === 0 ? String(fen / 100) : `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;

/** "1.5" → 1500, in integer arithmetic; null unless a positive multiple with at most three decimals. */
export function parseMultiple(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  const perMille = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return perMille >= 1 && perMille <= 100_000 ? perMille : null;
}

export const perMilleText = (perMille: number) => String(perMille / 1000);

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Whether a condition's typed value can be saved; the message key when not. */
export function valueProblem(
  c: ConditionForm,
): 'yuanInvalid' | 'multipleInvalid' | 'numberInvalid' | 'required' | null {
  const text = (c.amount ?? '').trim();
  switch (c.mode) {
    case 'list':
      return (c.list ?? []).length === 0 ? 'required' : null;
    case 'yuan':
      return parseYuan(text) === null ? 'yuanInvalid' : null;
    case 'standard':
      return parseMultiple(text) === null ? 'multipleInvalid' : null;
    case 'number':
      return NUMBER.test(text) ? null : 'numberInvalid';
    default:
      return text === '' ? 'required' : null;
  }
}

export function toConditionForm(c: RuleDefinition['where'][number], field: FieldOption | undefined): ConditionForm {
  if (Array.isArray(c.value)) return { field: c.field, op: c.op, mode: 'list', list: c.value.map(String) };
  if (typeof c.value === 'object')
    return { field: c.field, op: c.op, mode: 'standard', amount: perMilleText(c.value.timesStandardPerMille) };
  if (typeof c.value === 'number') {
    if (field?.type === 'fen') return { field: c.field, op: c.op, mode: 'yuan', amount: fenToYuanText(c.value) };
    return { field: c.field, op: c.op, mode: 'number', amount: String(c.value) };
  }
  return { field: c.field, op: c.op, mode: 'text', amount: c.value };
}

export function toCondition(c: ConditionForm, field: FieldOption | undefined): RuleDefinition['where'][number] {
  const text = (c.amount ?? '').trim();
  switch (c.mode) {
    case 'list':
      return { field: c.field, op: c.op, value: (c.list ?? []).map((v) => (isNumeric(field) ? Number(v) : v)) };
    case 'yuan':
      return { field: c.field, op: c.op, value: parseYuan(text)! };
    case 'standard':
      return { field: c.field, op: c.op, value: { timesStandardPerMille: parseMultiple(text)! } };
    case 'number':
      return { field: c.field, op: c.op, value: Number(text) };
    default:
      return { field: c.field, op: c.op, value: text };
  }
}

export function toFormValues(
  rule: { nameZh: string; nameEn: string; definition: RuleDefinition },
  fields: FieldOption[],
) {
  const d = rule.definition;
  const find = (name: string) => fields.find((f) => f.name === name);
  const aggField = d.aggregate ? find(d.aggregate.field) : undefined;
  const values: RuleFormValues = {
    nameZh: rule.nameZh,
    nameEn: rule.nameEn,
    recordTypes: [...d.recordTypes],
    subject: d.subject,
    once: d.once,
    outcomes: [...d.outcomes],
    breadwinner: !!d.household?.breadwinner,
    where: d.where.map((c) => toConditionForm(c, find(c.field))),
    hasAggregate: !!d.aggregate,
    ...(d.aggregate
      ? {
          aggregate: {
            field: d.aggregate.field,
            fn: d.aggregate.fn,
            windowMonths: d.aggregate.windowMonths,
            op: d.aggregate.op,
            amount:
              d.aggregate.fn === 'sum' && aggField?.type === 'fen'
                ? fenToYuanText(d.aggregate.value)
                : String(d.aggregate.value),
          },
        }
      : {}),
    note: '',
  };
  return values;
}

export function toDefinition(v: RuleFormValues, fields: FieldOption[]): RuleDefinition {
  const find = (name: string) => fields.find((f) => f.name === name);
  const a = v.hasAggregate ? v.aggregate : undefined;
  const aggYuan = a && a.fn === 'sum' && find(a.field)?.type === 'fen';
  return {
    recordTypes: v.recordTypes,
    subject: v.subject,
    where: (v.where ?? []).map((c) => toCondition(c, find(c.field))),
    ...(a
      ? {
          aggregate: {
            field: a.field,
            fn: a.fn,
            windowMonths: a.windowMonths,
            op: a.op,
            value: aggYuan ? parseYuan(a.amount.trim())! : Number(a.amount),
          },
        }
      : {}),
    ...(v.breadwinner ? { household: { breadwinner: true as const } } : {}),
    once: v.once,
    outcomes: v.outcomes,
  };
}

type Words = {
  op: (op: string) => string;
  field: (name: string) => string;
  times: (multiple: string) => string;
  yuan: (amount: string) => string;
};

/** One condition in words: "月工资 不低于 1.5 × 低保标准", "自付金额 不低于 20000 元". */
export function describeCondition(c: RuleDefinition['where'][number], fields: FieldOption[], w: Words): string {
  const field = fields.find((f) => f.name === c.field);
  let value: string;
  if (Array.isArray(c.value)) value = c.value.join('、');
  else if (typeof c.value === 'object') value = w.times(perMilleText(c.value.timesStandardPerMille));
  else if (typeof c.value === 'number' && field?.type === 'fen') value = w.yuan(fenToYuanText(c.value));
  else value = String(c.value);
  return `${w.field(c.field)} ${w.op(c.op)} ${value}`;
}

/** Record types by the names of the feed kinds that carry them (two kinds may share one: deaths and the backfill). */
export function recordTypeNames(
  sources: readonly FeedSource[],
  recordTypes: readonly string[],
  lang: 'zh-CN' | 'en-US',
): string[] {
  return recordTypes.map((rt) => {
    const names = sources.flatMap((s) =>
      s.kinds.filter((k) => k.recordType === rt).map((k) => (lang === 'en-US' ? k.nameEn : k.nameZh)),
    );
    return names.length > 0 ? names.join(' / ') : rt;
  });
}
