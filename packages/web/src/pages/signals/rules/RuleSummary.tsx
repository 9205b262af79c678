import { Descriptions } from 'antd';
import type { FeedSource, RuleDefinition, RuleOp } from '@jiuzhu/shared';
import { useI18n } from '../../../i18n';
import { OutcomeTag } from '../tags';
import { describeCondition, fenToYuanText, fieldLabel, fieldsOf, recordTypeNames } from './ruleForm';

/** A rule definition in words, with the feed catalogue's names (never field keys or fen). */
export function RuleSummary({
  definition: d,
  sources,
}: {
  definition: RuleDefinition;
  sources: readonly FeedSource[] | undefined;
}) {
  const { t, lang } = useI18n();
  const fields = fieldsOf(sources ?? [], d.recordTypes);
  const name = (n: string) => {
    const f = fields.find((x) => x.name === n);
    return f ? fieldLabel(f, lang) : n;
  };
  const words = {
    op: (op: string) => t(`signals.rules.op.${op as RuleOp}`),
    field: name,
    times: (multiple: string) => t('signals.rules.times', { multiple }),
    yuan: (amount: string) => t('signals.rules.yuanAmount', { amount }),
  };
  const kindNames = recordTypeNames(sources ?? [], d.recordTypes, lang);
  const a = d.aggregate;
  const aggValue =
    a && a.fn === 'sum' && fields.find((f) => f.name === a.field)?.type === 'fen'
      ? t('signals.rules.yuanAmount', { amount: fenToYuanText(a.value) })
      : String(a?.value ?? '');
  return (
    <Descriptions size="small" column={1} bordered data-testid="rule-summary">
      <Descriptions.Item label={t('signals.rules.recordTypes')}>{kindNames.join('、')}</Descriptions.Item>
      <Descriptions.Item label={t('signals.rules.subject')}>
        {t(`signals.subject.${d.subject}`)}
        {d.household?.breadwinner ? ` · ${t('signals.rules.breadwinner')}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('signals.rules.conditions')}>
        {d.where.length === 0
          ? t('signals.rules.noConditions')
          : d.where.map((c, i) => <div key={i}>{describeCondition(c, fields, words)}</div>)}
      </Descriptions.Item>
      {a && (
        <Descriptions.Item label={t('signals.rules.aggregate')}>
          {t('signals.rules.aggregateText', {
            months: a.windowMonths,
            field: name(a.field),
            fn: t(`signals.rules.fn.${a.fn}`),
            op: t(`signals.rules.op.${a.op}`),
            value: aggValue,
          })}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('signals.field.outcome')}>
        {d.outcomes.map((o) => (
          <OutcomeTag key={o} outcome={o} />
        ))}{' '}
        {t(`signals.rules.once.${d.once}`)}
      </Descriptions.Item>
    </Descriptions>
  );
}
