import { useMemo } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Switch, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { parseYuan, type AssistanceKind, type CreatePolicyStandardBody, type PolicyStandard } from '@jiuzhu/shared';
import type { FieldMapper, FieldName } from '../../../api/errors';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useT, type Translate } from '../../../i18n';
import { policyApi } from '../api';
import {
  PARAM_FIELDS,
  PARAM_GROUPS,
  VEHICLE_TYPES,
  fieldForPath,
  fromFormParams,
  parsePerMille,
  toFormParams,
  vehicleLabel,
  type ParamField,
  type ParamValues,
} from './params';

type Values = { regionCode: string; effectiveMonth: Dayjs; note: string; params: ParamValues };

export interface RegionOption {
  code: string;
  name: string;
}

const UNIT: Partial<Record<ParamField['type'], Parameters<Translate>[0]>> = {
  months: 'policy.unit.months',
  days: 'policy.unit.days',
  workdays: 'policy.unit.workdays',
  count: 'policy.unit.count',
  age: 'policy.unit.age',
  percent: 'policy.unit.percent',
  multiple: 'policy.unit.multiple',
};

function ParamInput({ field, t }: { field: ParamField; t: Translate }) {
  const testId = `policy-form-${field.path.join('-')}`;
  const name = ['params', ...field.path];
  const required: Rule = { required: true, message: t('form.required') };
  switch (field.type) {
    case 'fen':
    case 'fenOrNone':
      return (
        <Form.Item
          name={name}
          label={t(field.label)}
          extra={field.type === 'fenOrNone' ? t('policy.form.emptyIsNone') : undefined}
          rules={[
            ...(field.type === 'fen' ? [required] : []),
            {
              validator: (_, v: unknown) =>
                v === undefined || v === null || String(v).trim() === '' || parseYuan(String(v).trim()) !== null
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('policy.form.yuanInvalid'))),
            },
          ]}
        >
          <Input suffix={t('policy.unit.yuan')} inputMode="decimal" data-testid={testId} />
        </Form.Item>
      );
    case 'perMille':
      return (
        <Form.Item
          name={name}
          label={t(field.label)}
          rules={[
            required,
            {
              validator: (_, v: unknown) =>
                v === undefined || v === null || String(v).trim() === '' || parsePerMille(String(v)) !== null
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('policy.form.multiplierInvalid'))),
            },
          ]}
        >
          <Input prefix="×" inputMode="decimal" data-testid={testId} />
        </Form.Item>
      );
    case 'bool':
      return (
        <Form.Item name={name} label={t(field.label)} valuePropName="checked">
          <Switch data-testid={testId} />
        </Form.Item>
      );
    case 'approval':
      return (
        <Form.Item name={name} label={t(field.label)} rules={[required]}>
          <Select
            data-testid={testId}
            options={(['township', 'county'] as const).map((v) => ({ value: v, label: t(`policy.approval.${v}`) }))}
          />
        </Form.Item>
      );
    case 'vehicleTypes':
      return (
        <Form.Item name={name} label={t(field.label)}>
          <Select
            mode="tags"
            data-testid={testId}
            options={VEHICLE_TYPES.map((v) => ({ value: v, label: vehicleLabel(t, v) }))}
          />
        </Form.Item>
      );
    default: {
      const unit = UNIT[field.type];
      return (
        <Form.Item name={name} label={t(field.label)} rules={[required]}>
          <InputNumber
            min={0}
            precision={0}
            style={{ width: '100%' }}
            suffix={unit ? t(unit) : undefined}
            data-testid={testId}
          />
        </Form.Item>
      );
    }
  }
}

/**
 * Adds a version of one kind's standard: pre-filled from the version in force, every parameter
 * editable, for one of the editor's regions from an effective month. The server validates.
 */
export function VersionFormModal({
  kind,
  regions,
  defaultRegion,
  prefill,
  onClose,
  onCreated,
}: {
  kind: AssistanceKind;
  regions: RegionOption[];
  defaultRegion: string;
  prefill: Record<string, unknown> | undefined;
  onClose: () => void;
  onCreated: (created: PolicyStandard) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const mapper = useMemo<FieldMapper>(
    () => ({
      resolve: (segments: FieldName) => {
        const [head, ...rest] = segments;
        if (head === 'regionCode' || head === 'effectiveMonth' || head === 'note') return [head];
        if (head !== 'params') return undefined;
        const field = fieldForPath(kind, rest);
        return field ? ['params', ...field.path] : undefined;
      },
    }),
    [kind],
  );
  const { run, submitting, error } = useFormSubmit(form, mapper);
  const initialValues = useMemo<Partial<Values>>(
    () => ({
      regionCode: defaultRegion,
      effectiveMonth: dayjs().add(1, 'month').startOf('month'),
      note: '',
      params: prefill ? toFormParams(kind, prefill) : undefined,
    }),
    [defaultRegion, kind, prefill],
  );

  async function submit(v: Values) {
    let created: PolicyStandard | undefined;
    const ok = await run(async () => {
      created = await policyApi.create({
        kind,
        regionCode: v.regionCode,
        effectiveMonth: v.effectiveMonth.format('YYYY-MM'),
        note: v.note ?? '',
        params: fromFormParams(kind, v.params ?? {}),
      } as CreatePolicyStandardBody);
    });
    if (ok && created) onCreated(created);
  }

  const fields = PARAM_FIELDS[kind];
  return (
    <Modal
      open
      width={880}
      title={t('policy.form.title', { kind: t(`policy.kind.${kind}`) })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ 'data-testid': 'policy-form-cancel' } as never}
      okButtonProps={{ loading: submitting, 'data-testid': 'policy-form-submit' } as never}
      maskClosable={false}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues}
        data-testid="policy-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="regionCode"
              label={t('policy.field.region')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <Select
                data-testid="policy-form-region"
                options={regions.map((r) => ({ value: r.code, label: r.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="effectiveMonth"
              label={t('policy.field.effectiveMonth')}
              extra={t('policy.form.monthHelp')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <DatePicker picker="month" format="YYYY-MM" style={{ width: '100%' }} data-testid="policy-form-month" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="note" label={t('policy.field.note')}>
              <Input maxLength={500} data-testid="policy-form-note" />
            </Form.Item>
          </Col>
        </Row>
        {PARAM_GROUPS.map(({ group, title }) => {
          const items = fields.filter((f) => f.group === group);
          if (items.length === 0) return null;
          return (
            <div key={group}>
              <Typography.Title level={5}>{t(title)}</Typography.Title>
              <Row gutter={16}>
                {items.map((field) => (
                  <Col xs={24} md={8} key={field.path.join('.')}>
                    <ParamInput field={field} t={t} />
                  </Col>
                ))}
              </Row>
            </div>
          );
        })}
        <FormErrorAlert error={error} />
      </Form>
    </Modal>
  );
}
