import { useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  RuleOp,
  RuleSubject,
  SIGNAL_OUTCOME_VALUES,
  type CollisionRule,
  type FeedSource,
  type FieldError,
} from '@jiuzhu/shared';
import { isApiError } from '../../../api/client';
import { errorMessage, isSessionLoss } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import { collisionApi } from '../api';
import {
  fieldLabel,
  fieldsOf,
  recordTypeNames,
  modesFor,
  toDefinition,
  toFormValues,
  valueProblem,
  type ConditionForm,
  type FieldOption,
  type RuleFormValues,
} from './ruleForm';

const AGGREGATE_OPS = ['gte', 'gt', 'eq', 'lte', 'lt'] as const;

/**
 * Edits a rule as a form: record kinds and fields by their names in the feed catalogue,
 * operators as words, amounts in 元 or as a multiple of the 低保 standard. The server checks the
 * definition again and saves a new version; its messages are listed with the path of each problem.
 */
export function RuleEditModal({
  rule,
  sources,
  onClose,
  onSaved,
}: {
  rule: CollisionRule | null;
  /** The feed catalogue: record kinds and their columns, with their names. */
  sources: readonly FeedSource[] | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; fields: readonly FieldError[] } | null>(null);

  async function save(v: RuleFormValues, fields: FieldOption[]) {
    if (!rule) return;
    setSaving(true);
    setError(null);
    try {
      await collisionApi.updateRule(rule.id, {
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        definition: toDefinition(v, fields),
        note: v.note,
      });
      onSaved();
    } catch (e) {
      if (!isSessionLoss(e)) setError({ message: errorMessage(e, t), fields: isApiError(e) ? e.fields : [] });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={rule !== null}
      width={900}
      title={rule ? t('signals.rules.editTitle', { code: rule.code, version: rule.currentVersion + 1 }) : ''}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      {rule && sources && (
        <RuleForm
          key={rule.id}
          rule={rule}
          sources={sources}
          saving={saving}
          onCancel={onClose}
          onSubmit={(v, fields) => void save(v, fields)}
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={error.message}
          data-testid="rule-error"
          description={
            error.fields.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {error.fields.map((f) => (
                  <li key={`${f.path}:${f.message}`}>{f.message}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
    </Modal>
  );
}

function RuleForm({
  rule,
  sources,
  saving,
  onCancel,
  onSubmit,
}: {
  rule: CollisionRule;
  sources: readonly FeedSource[];
  saving: boolean;
  onCancel: () => void;
  onSubmit: (v: RuleFormValues, fields: FieldOption[]) => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<RuleFormValues>();
  const recordTypes = Form.useWatch('recordTypes', form) ?? rule.definition.recordTypes;
  const hasAggregate = Form.useWatch('hasAggregate', form) ?? !!rule.definition.aggregate;
  const fields = useMemo(() => fieldsOf(sources, recordTypes), [sources, recordTypes]);
  const initial = useMemo(() => toFormValues(rule, fieldsOf(sources, rule.definition.recordTypes)), [rule, sources]);
  const required = { required: true, message: t('form.required') };

  const typeOptions = useMemo(() => {
    const types = [...new Set(sources.flatMap((s) => s.kinds.map((k) => k.recordType)))];
    const names = recordTypeNames(sources, types, lang);
    return types.map((value, i) => ({ value, label: names[i] }));
  }, [sources, lang]);
  const fieldOptions = fields.map((f) => ({ value: f.name, label: fieldLabel(f, lang) }));
  const opOptions = (ops: readonly RuleOp[]) =>
    ops.map((o) => ({ value: o, label: t(`signals.rules.op.${o as RuleOp}`) }));

  return (
    <Form<RuleFormValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      // The whole store: a condition's value mode has no input when its field allows only one.
      onFinish={() => onSubmit(form.getFieldsValue(true) as RuleFormValues, fields)}
      data-testid="rule-form"
    >
      <Space.Compact block>
        <Form.Item name="nameZh" label={t('signals.rules.nameZh')} rules={[required]} style={{ flex: 1 }}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('signals.rules.nameEn')}
          rules={[required]}
          style={{ flex: 1, marginLeft: 8 }}
        >
          <Input maxLength={100} />
        </Form.Item>
      </Space.Compact>
      <Space wrap align="start">
        <Form.Item name="recordTypes" label={t('signals.rules.recordTypes')} rules={[required]}>
          <Select mode="multiple" options={typeOptions} style={{ minWidth: 260 }} data-testid="rule-record-types" />
        </Form.Item>
        <Form.Item name="subject" label={t('signals.rules.subject')} rules={[required]}>
          <Select
            style={{ width: 150 }}
            options={RuleSubject.options.map((s) => ({ value: s, label: t(`signals.subject.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="outcomes" label={t('signals.field.outcome')} rules={[required]}>
          <Select
            mode="multiple"
            style={{ minWidth: 200 }}
            options={SIGNAL_OUTCOME_VALUES.map((o) => ({ value: o, label: t(`signals.outcome.${o}`) }))}
          />
        </Form.Item>
        <Form.Item name="once" label={t('signals.rules.once')} rules={[required]}>
          <Select
            style={{ width: 150 }}
            options={(['record', 'person'] as const).map((o) => ({ value: o, label: t(`signals.rules.once.${o}`) }))}
          />
        </Form.Item>
      </Space>
      <Form.Item name="breadwinner" valuePropName="checked">
        <Checkbox>{t('signals.rules.breadwinner')}</Checkbox>
      </Form.Item>

      <Typography.Text strong>{t('signals.rules.conditions')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('signals.rules.standardNote')}
      </Typography.Paragraph>
      <Form.List name="where">
        {(items, { add, remove }) => (
          <div style={{ margin: '8px 0 16px' }}>
            {items.length === 0 && (
              <Typography.Paragraph type="secondary">{t('signals.rules.noConditions')}</Typography.Paragraph>
            )}
            {items.map((item, i) => (
              <ConditionRow
                key={item.key}
                index={i}
                fields={fields}
                fieldOptions={fieldOptions}
                opOptions={opOptions(RuleOp.options)}
                onRemove={() => remove(item.name)}
              />
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() => add({ field: undefined, op: 'gte', mode: 'text', amount: '' })}
              data-testid="rule-add-condition"
            >
              {t('signals.rules.addCondition')}
            </Button>
          </div>
        )}
      </Form.List>

      <Form.Item name="hasAggregate" valuePropName="checked" style={{ marginBottom: 8 }}>
        <Checkbox data-testid="rule-has-aggregate">{t('signals.rules.aggregate')}</Checkbox>
      </Form.Item>
      {hasAggregate && (
        <Space wrap align="start" data-testid="rule-aggregate">
          <Form.Item name={['aggregate', 'windowMonths']} label={t('signals.rules.windowMonths')} rules={[required]}>
            <InputNumber min={1} max={120} precision={0} suffix={t('signals.rules.months')} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name={['aggregate', 'field']} label={t('signals.rules.field')} rules={[required]}>
            <Select style={{ width: 180 }} options={fieldOptions} />
          </Form.Item>
          <Form.Item name={['aggregate', 'fn']} label={t('signals.rules.fn')} rules={[required]}>
            <Select
              style={{ width: 110 }}
              options={(['sum', 'count'] as const).map((f) => ({ value: f, label: t(`signals.rules.fn.${f}`) }))}
            />
          </Form.Item>
          <Form.Item name={['aggregate', 'op']} label={t('signals.rules.op')} rules={[required]}>
            <Select style={{ width: 110 }} options={opOptions(AGGREGATE_OPS)} />
          </Form.Item>
          <Form.Item
            noStyle
            dependencies={[
              ['aggregate', 'fn'],
              ['aggregate', 'field'],
            ]}
          >
            {({ getFieldValue }) => {
              const yuan =
                getFieldValue(['aggregate', 'fn']) === 'sum' &&
                fields.find((f) => f.name === getFieldValue(['aggregate', 'field']))?.type === 'fen';
              return (
                <Form.Item
                  name={['aggregate', 'amount']}
                  label={t('signals.rules.value')}
                  rules={[
                    required,
                    {
                      validator: (_, v: string) =>
                        valueProblem({ field: '', op: 'gte', mode: yuan ? 'yuan' : 'number', amount: v ?? '' })
                          ? Promise.reject(
                              new Error(t(yuan ? 'signals.rules.yuanInvalid' : 'signals.rules.numberInvalid')),
                            )
                          : Promise.resolve(),
                    },
                  ]}
                >
                  <Input
                    style={{ width: 160 }}
                    inputMode="decimal"
                    suffix={yuan ? t('signals.rules.unit.yuan') : undefined}
                    data-testid="rule-aggregate-value"
                  />
                </Form.Item>
              );
            }}
          </Form.Item>
        </Space>
      )}

      <Form.Item name="note" label={t('signals.rules.note')} rules={[required]}>
        <Input maxLength={500} data-testid="rule-note" />
      </Form.Item>
      <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="rule-save">
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

function ConditionRow({
  index,
  fields,
  fieldOptions,
  opOptions,
  onRemove,
}: {
  index: number;
  fields: FieldOption[];
  fieldOptions: { value: string; label: string }[];
  opOptions: { value: string; label: string }[];
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const form = Form.useFormInstance<RuleFormValues>();
  const required = { required: true, message: t('form.required') };
  const path = ['where', index] as const;
  const cond = (Form.useWatch(['where', index], form) ?? {}) as Partial<ConditionForm>;
  const field = fields.find((f) => f.name === cond.field);
  const modes = modesFor(field, cond.op ?? 'gte');

  // A field or operator change that rules out the value's mode resets it to the first allowed one.
  function fix(next: Partial<ConditionForm>) {
    const f = fields.find((x) => x.name === (next.field ?? cond.field));
    const allowed = modesFor(f, next.op ?? cond.op ?? 'gte');
    if (!allowed.includes(cond.mode as never)) form.setFieldValue([...path, 'mode'], allowed[0]);
  }

  return (
    <Space align="start" wrap data-testid={`rule-condition-${index}`}>
      <Form.Item name={[index, 'field']} rules={[required]}>
        <Select
          style={{ width: 200 }}
          options={fieldOptions}
          placeholder={t('signals.rules.field')}
          onChange={(v: string) => fix({ field: v })}
          data-testid={`rule-condition-${index}-field`}
        />
      </Form.Item>
      <Form.Item name={[index, 'op']} rules={[required]}>
        <Select
          style={{ width: 110 }}
          options={opOptions}
          onChange={(v: ConditionForm['op']) => fix({ op: v })}
          data-testid={`rule-condition-${index}-op`}
        />
      </Form.Item>
      {modes[0] === 'list' ? (
        <Form.Item name={[index, 'list']} rules={[required]}>
          <Select
            mode={field?.values ? 'multiple' : 'tags'}
            style={{ minWidth: 240 }}
            options={(field?.values ?? []).map((v) => ({ value: v, label: v }))}
            data-testid={`rule-condition-${index}-list`}
          />
        </Form.Item>
      ) : (
        <>
          {modes.length > 1 && (
            <Form.Item name={[index, 'mode']}>
              <Select
                style={{ width: 130 }}
                options={modes.map((m) => ({ value: m, label: t(`signals.rules.mode.${m as 'yuan' | 'standard'}`) }))}
                data-testid={`rule-condition-${index}-mode`}
              />
            </Form.Item>
          )}
          <Form.Item
            name={[index, 'amount']}
            dependencies={[[...path, 'mode']]}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v: string) => {
                  const current = getFieldValue([...path]) as ConditionForm;
                  const problem = valueProblem({ ...current, amount: v ?? '' });
                  return problem ? Promise.reject(new Error(t(`signals.rules.${problem}`))) : Promise.resolve();
                },
              }),
            ]}
          >
            <Input
              style={{ width: 150 }}
              inputMode={cond.mode === 'text' ? undefined : 'decimal'}
              prefix={cond.mode === 'standard' ? '×' : undefined}
              suffix={
                cond.mode === 'yuan'
                  ? t('signals.rules.unit.yuan')
                  : cond.mode === 'standard'
                    ? t('signals.rules.unit.standard')
                    : undefined
              }
              data-testid={`rule-condition-${index}-value`}
            />
          </Form.Item>
        </>
      )}
      <Button
        icon={<DeleteOutlined />}
        onClick={onRemove}
        aria-label={t('signals.rules.removeCondition')}
        data-testid={`rule-condition-${index}-remove`}
      />
    </Space>
  );
}
