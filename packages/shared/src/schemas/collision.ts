import { z } from 'zod';
import { IsoDate, PageQuery, RegionCode, pageOf, Text } from './common';
import { RecordFieldLabel } from './exchange';

/**
 * Data collision (数据碰撞): rules are data (a definition, versioned), a run evaluates
 * every active rule on loaded feed records, and each conclusion is a signal (比对预警)
 * linked to its source records and the rule version that raised it.
 */

export const SignalOutcome = z.enum(['review', 'suspend', 'stop', 'claim_prompt', 'lead']);
export type SignalOutcome = z.infer<typeof SignalOutcome>;
export const SIGNAL_OUTCOME_VALUES = SignalOutcome.options;

export const SignalStatus = z.enum(['open', 'in_progress', 'resolved', 'dismissed']);
export type SignalStatus = z.infer<typeof SignalStatus>;

/**
 * Whom a rule looks at. recipient: a registry person whose household is dibao or tekun;
 * non_recipient: dibao_edge, low_income or none (applicant households are neither: an
 * application is already under way); matched: any registry person; unmatched: a record
 * whose number is in nobody's file.
 */
export const RuleSubject = z.enum(['recipient', 'non_recipient', 'matched', 'unmatched']);
export type RuleSubject = z.infer<typeof RuleSubject>;

export const RuleOp = z.enum(['eq', 'ne', 'in', 'not_in', 'gte', 'gt', 'lte', 'lt']);
export type RuleOp = z.infer<typeof RuleOp>;
export const AggregateOp = z.enum(['eq', 'gte', 'gt', 'lte', 'lt']);

/** A field of the record kind's columns (snake_case); never SQL. */
export const RuleFieldName = Text.regex(/^[a-z][a-z0-9_]{0,62}$/, 'field name: lower-case snake_case');
export const RecordTypeName = Text.regex(/^[a-z][a-z0-9_]{0,62}$/, 'record type: lower-case snake_case');

const Scalar = z.union([Text.max(200), z.number()]);

/**
 * A value relative to the policy: the 低保 standard (DibaoParams.standardFen) in force for the
 * person's county (else the city default) in the month of the record's event date, times
 * perMille / 1000. A record with no standard in force for its month meets no such condition.
 */
export const StandardMultiple = z.strictObject({ timesStandardPerMille: z.number().int().min(1).max(100_000) });
export type StandardMultiple = z.infer<typeof StandardMultiple>;

export const RuleCondition = z
  .strictObject({
    field: RuleFieldName,
    op: RuleOp,
    value: z.union([Scalar, z.array(Scalar).min(1).max(100), StandardMultiple]),
  })
  .refine((c) => (c.op === 'in' || c.op === 'not_in') === Array.isArray(c.value), {
    message: 'in / not_in take a list, the other operators one value',
    path: ['value'],
  });
export type RuleCondition = z.infer<typeof RuleCondition>;

/** Over the person's records of the rule's types whose event date lies in (asOf − windowMonths, asOf]. */
export const RuleAggregate = z.strictObject({
  field: RuleFieldName,
  fn: z.enum(['sum', 'count']),
  windowMonths: z.number().int().min(1).max(120),
  op: AggregateOp,
  value: z.number(),
});
export type RuleAggregate = z.infer<typeof RuleAggregate>;

export const RuleDefinition = z
  .strictObject({
    recordTypes: z.array(RecordTypeName).min(1).max(20),
    subject: RuleSubject,
    where: z.array(RuleCondition).max(20).default([]),
    aggregate: RuleAggregate.optional(),
    /** Only the household's breadwinner: a household of 2 or more whose only largest wage + business earner (> 0) is this person. */
    household: z.strictObject({ breadwinner: z.literal(true) }).optional(),
    /** One signal per record, or one per person (a death and its cremation link to one signal). */
    once: z.enum(['record', 'person']),
    outcomes: z.array(SignalOutcome).min(1).max(5),
  })
  .refine((d) => !(d.subject === 'unmatched' && d.household), {
    message: 'a household condition needs a registry person',
    path: ['household'],
  })
  .refine((d) => new Set(d.outcomes).size === d.outcomes.length, {
    message: 'each outcome once',
    path: ['outcomes'],
  });
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type RuleDefinitionInput = z.input<typeof RuleDefinition>;

export const CollisionRule = z.object({
  id: Text,
  code: Text,
  nameZh: Text,
  nameEn: Text,
  active: z.boolean(),
  builtin: z.boolean(),
  currentVersion: z.number().int(),
  definition: RuleDefinition,
  createdAt: Text,
  updatedAt: Text,
});
export type CollisionRule = z.infer<typeof CollisionRule>;

export const CollisionRuleVersion = z.object({
  version: z.number().int(),
  definition: RuleDefinition,
  note: Text.nullable(),
  createdBy: Text,
  createdAt: Text,
});
export type CollisionRuleVersion = z.infer<typeof CollisionRuleVersion>;

export const CollisionRuleDetail = CollisionRule.extend({ versions: z.array(CollisionRuleVersion) });
export type CollisionRuleDetail = z.infer<typeof CollisionRuleDetail>;

export const CollisionRuleList = z.object({ items: z.array(CollisionRule) });
export type CollisionRuleList = z.infer<typeof CollisionRuleList>;

/** POST /api/collision/rules */
export const CollisionRuleInput = z.strictObject({
  code: Text.regex(/^[a-z][a-z0-9_.]{1,62}$/, 'code: lower-case letters, digits, _ and .'),
  nameZh: Text.trim().min(1).max(100),
  nameEn: Text.trim().min(1).max(100),
  active: z.boolean().default(true),
  definition: RuleDefinition,
  note: Text.trim().max(500).optional(),
});
export type CollisionRuleInput = z.input<typeof CollisionRuleInput>;

/** PUT /api/collision/rules/:id — a new version; names change without one. */
export const CollisionRuleUpdate = z.strictObject({
  nameZh: Text.trim().min(1).max(100).optional(),
  nameEn: Text.trim().min(1).max(100).optional(),
  definition: RuleDefinition,
  note: Text.trim().min(1).max(500),
});
export type CollisionRuleUpdate = z.input<typeof CollisionRuleUpdate>;

export const CollisionRunStatus = z.enum(['queued', 'running', 'done', 'failed']);
export type CollisionRunStatus = z.infer<typeof CollisionRunStatus>;

export const CollisionRun = z.object({
  id: Text,
  runNo: z.number().int(),
  /** null: a re-run over every loaded record. */
  batchId: Text.nullable(),
  status: CollisionRunStatus,
  rulesDone: z.number().int(),
  rulesTotal: z.number().int(),
  signalsCreated: z.number().int(),
  recordsLinked: z.number().int(),
  /** Records of the run's scope whose number is in the registry. */
  recordsMatched: z.number().int().nullable(),
  recordsTotal: z.number().int().nullable(),
  error: Text.nullable(),
  createdBy: Text,
  createdAt: Text,
  startedAt: Text.nullable(),
  finishedAt: Text.nullable(),
});
export type CollisionRun = z.infer<typeof CollisionRun>;
export const CollisionRunPage = pageOf(CollisionRun);
export type CollisionRunPage = z.infer<typeof CollisionRunPage>;

/** POST /api/collision/runs — no batchId: re-run every rule over all loaded records. */
export const CollisionRunRequest = z.strictObject({ batchId: z.uuid().optional() });
export type CollisionRunRequest = z.infer<typeof CollisionRunRequest>;
export const CollisionRunAccepted = z.object({ runId: Text });

export const SignalQuery = PageQuery.extend({
  outcome: SignalOutcome.optional(),
  status: SignalStatus.optional(),
  ruleId: z.uuid().optional(),
  recordType: RecordTypeName.optional(),
  /** A region (prefix) inside the caller's own. */
  regionCode: RegionCode.optional(),
  batchId: z.uuid().optional(),
  /** A person's name or a 户编号 (part of it), or a whole ID number (exact, by the blind index). */
  q: Text.trim().max(40).optional(),
});
export type SignalQuery = z.input<typeof SignalQuery>;

export const SignalPerson = z.object({
  memberId: Text.nullable(),
  name: Text,
  idMasked: Text,
  householdId: Text.nullable(),
  householdNo: Text.nullable(),
  /** The village of the household's registered address. */
  regionCode: Text,
  villageName: Text.nullable(),
});
export type SignalPerson = z.infer<typeof SignalPerson>;

export const SignalSourceRecord = z.object({
  id: z.number().int(),
  batchId: Text,
  kindCode: Text,
  recordType: Text,
  recordKey: Text,
  eventDate: IsoDate,
  /** The record's unprotected fields (amounts in fen). Protected fields are never sent. */
  data: z.record(Text, z.unknown()),
  kindName: Text,
  /** Labels of the fields in `data`, from the feed catalogue. */
  fields: z.array(RecordFieldLabel),
});
export type SignalSourceRecord = z.infer<typeof SignalSourceRecord>;

export const Signal = z.object({
  id: Text,
  signalNo: z.number().int(),
  outcome: SignalOutcome,
  status: SignalStatus,
  rule: z.object({
    id: Text,
    code: Text,
    nameZh: Text,
    nameEn: Text,
    version: z.number().int(),
  }),
  person: SignalPerson,
  regionCode: Text,
  /** What the rule found, e.g. { sum, windowMonths, from, through } for an aggregate. */
  detail: z.record(Text, z.unknown()),
  batchId: Text.nullable(),
  records: z.array(SignalSourceRecord),
  note: Text.nullable(),
  handledBy: Text.nullable(),
  handledAt: Text.nullable(),
  createdAt: Text,
  updatedAt: Text,
});
export type Signal = z.infer<typeof Signal>;
export const SignalPage = pageOf(Signal);
export type SignalPage = z.infer<typeof SignalPage>;

/** PATCH /api/signals/:id */
export const SignalStatusUpdate = z.strictObject({
  status: z.enum(['in_progress', 'resolved', 'dismissed']),
  note: Text.trim().min(1).max(1000),
});
export type SignalStatusUpdate = z.infer<typeof SignalStatusUpdate>;
