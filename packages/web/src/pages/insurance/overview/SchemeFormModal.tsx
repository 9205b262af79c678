import { useEffect, useMemo, useRef } from 'react';
import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { DocumentKind, type CoverItem, type Scheme, type SchemeInput } from '@jiuzhu/shared';
import { useFormSubmit } from '../../../api/useFormSubmit';
import type { FieldMapper, FieldName } from '../../../api/errors';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { fenToYuan, yuanToFen } from '../../../lib/format';
import { insuranceApi, newIdempotencyKey } from '../api';
import { STANDARD_ITEMS, coverItemName, documentName } from '../tags';

interface ItemValues {
  code?: string;
  name?: string;
  maxYuan?: string | number;
  materials?: DocumentKind[];
  grades?: CoverItem['grades'];
}
interface Values {
  year?: number;
  insurer?: string;
  policyNo?: string;
  periodFrom?: string;
  periodTo?: string;
  premiumYuan?: string | number;
  kinds?: SchemeInput['kinds'];
  waitingDays?: number;
  cityPct?: number;
  counties?: { regionCode?: string; cityPct?: number }[];
  coverItems?: ItemValues[];
  note?: string;
}

/** Server paths → the form's items (amounts are entered in 元, shares in %). */
const RENAMED: Record<string, string> = { premiumFen: 'premiumYuan', cityShareBp: 'cityPct' };
const TOP = ['year', 'insurer', 'policyNo', 'periodFrom', 'periodTo', 'kinds', 'waitingDays', 'note'];
const ITEM: Record<string, string> = { code: 'code', name: 'name', maxFen: 'maxYuan', materials: 'materials' };

function mapperFor(counties: () => string[]): FieldMapper {
  return {
    resolve: (s: FieldName): FieldName | undefined => {
      const [head, index, leaf] = s;
      if (s.length === 1 && typeof head === 'string') {
        if (RENAMED[head]) return [RENAMED[head]];
        if (TOP.includes(head) || head === 'coverItems') return [head === 'coverItems' ? 'coverItemsList' : head];
      }
      if (head === 'coverItems' && typeof index === 'number' && typeof leaf === 'string' && ITEM[leaf])
        return ['coverItems', index, ITEM[leaf]];
      if (head === 'countyCityShareBp' && index !== undefined) {
        const i = counties().indexOf(String(index));
        if (i >= 0) return ['counties', i, 'regionCode'];
      }
      return undefined;
    },
  };
}

function initialFrom(s: Scheme | undefined, year: number): Values {
  if (!s) return { year, kinds: ['dibao', 'tekun'], waitingDays: 0, cityPct: 50, counties: [], coverItems: [{}] };
  return {
    year: s.year,
    insurer: s.insurer,
    policyNo: s.policyNo,
    periodFrom: s.periodFrom,
    periodTo: s.periodTo,
    premiumYuan: fenToYuan(s.premiumFen),
    kinds: s.kinds,
    waitingDays: s.waitingDays,
    cityPct: s.cityShareBp / 100,
    counties: Object.entries(s.countyCityShareBp).map(([regionCode, bp]) => ({ regionCode, cityPct: bp / 100 })),
    coverItems: s.coverItems.map((c) => ({
      code: c.code,
      name: c.name,
      maxYuan: fenToYuan(c.maxFen),
      materials: c.materials,
      grades: c.grades,
    })),
    note: s.note ?? undefined,
  };
}

/**
 * 新增保单方案版本 (city admin): starts from the version in force, so a change is one field;
 * the server's field errors land on their items; saving asks for a confirmation.
 */
export function SchemeFormModal({
  open,
  base,
  onClose,
  onSaved,
}: {
  open: boolean;
  base: Scheme | undefined;
  onClose: () => void;
  onSaved: (s: Scheme) => void;
}) {
  const t = useT();
  const me = useMe();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const key = useRef(newIdempotencyKey());
  const mapper = useMemo(
    () => mapperFor(() => (form.getFieldValue('counties') ?? []).map((c: { regionCode?: string }) => c.regionCode)),
    [form],
  );
  const { run, submitting, error, clearError } = useFormSubmit(form, mapper);
  const year = new Date().getFullYear();

  useEffect(() => {
    if (!open) return;
    clearError();
    key.current = newIdempotencyKey();
    form.resetFields();
    form.setFieldsValue(initialFrom(base, year));
  }, [open, base, form, clearError, year]);

  const toBody = (v: Values): SchemeInput => ({
    year: v.year ?? year,
    insurer: v.insurer?.trim() ?? '',
    policyNo: v.policyNo?.trim() ?? '',
    periodFrom: v.periodFrom?.trim() ?? '',
    periodTo: v.periodTo?.trim() ?? '',
    premiumFen: yuanToFen(v.premiumYuan) ?? 0,
    kinds: v.kinds ?? [],
    coverItems: (v.coverItems ?? []).map((c) => ({
      code: c.code ?? '',
      name: c.name?.trim() || coverItemName(t, c.code ?? ''),
      maxFen: yuanToFen(c.maxYuan) ?? 0,
      grades: c.grades ?? null,
      materials: c.materials ?? [],
    })),
    waitingDays: v.waitingDays ?? 0,
    cityShareBp: Math.round((v.cityPct ?? 0) * 100),
    countyCityShareBp: Object.fromEntries(
      (v.counties ?? []).filter((c) => c.regionCode).map((c) => [c.regionCode!, Math.round((c.cityPct ?? 0) * 100)]),
    ),
    insurerUsers: base?.insurerUsers ?? [],
    note: v.note?.trim() || null,
  });

  const onFinish = (v: Values) => {
    const body = toBody(v);
    modal.confirm({
      title: t('insurance.schemeForm.title'),
      content: (
        <span data-testid="confirm-question">
          {t('insurance.schemeForm.confirm', { year: body.year, premium: fenToYuan(body.premiumFen) ?? '0' })}
        </span>
      ),
      okButtonProps: { 'data-testid': 'confirm-ok' } as ButtonProps,
      cancelButtonProps: { 'data-testid': 'confirm-cancel' } as ButtonProps,
      onOk: async () => {
        let saved: Scheme | undefined;
        const ok = await run(async () => {
          saved = await insuranceApi.createScheme(body, key.current);
        });
        if (ok && saved) onSaved(saved);
      },
    });
  };

  const required = [{ required: true, message: t('form.required') }];
  const materialOptions = DocumentKind.options.map((k) => ({ value: k, label: documentName(t, k) }));
  const itemOptions = [
    ...STANDARD_ITEMS.map((c) => ({ value: c as string, label: coverItemName(t, c) })),
    ...(base?.coverItems ?? [])
      .filter((c) => !(STANDARD_ITEMS as readonly string[]).includes(c.code))
      .map((c) => ({ value: c.code, label: c.name })),
  ];

  return (
    <Modal
      open={open}
      title={t('insurance.schemeForm.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={submitting}
      forceRender
      width={720}
      okButtonProps={{ 'data-testid': 'scheme-submit' }}
      data-testid="scheme-modal"
    >
      <Typography.Paragraph type="secondary">{t('insurance.schemeForm.help')}</Typography.Paragraph>
      <FormErrorAlert error={error} />
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={submitting}>
        <Form.Item name="year" label={t('insurance.schemeForm.year')} rules={required}>
          <InputNumber min={2000} max={2100} precision={0} data-testid="scheme-year" />
        </Form.Item>
        <Form.Item name="insurer" label={t('insurance.scheme.insurer')} rules={required}>
          <Input maxLength={80} data-testid="scheme-insurer" />
        </Form.Item>
        <Form.Item name="policyNo" label={t('insurance.scheme.policyNo')} rules={required}>
          <Input maxLength={60} data-testid="scheme-policyNo" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="periodFrom" label={t('insurance.schemeForm.periodFrom')} rules={required}>
            <Input placeholder="YYYY-MM-DD" maxLength={10} data-testid="scheme-periodFrom" />
          </Form.Item>
          <Form.Item name="periodTo" label={t('insurance.schemeForm.periodTo')} rules={required}>
            <Input placeholder="YYYY-MM-DD" maxLength={10} data-testid="scheme-periodTo" />
          </Form.Item>
        </Space>
        <Form.Item name="premiumYuan" label={t('insurance.schemeForm.premiumYuan')} rules={required}>
          <InputNumber min={0} precision={2} style={{ width: 200 }} data-testid="scheme-premium" />
        </Form.Item>
        <Form.Item name="kinds" label={t('insurance.scheme.kinds')} rules={required}>
          <Checkbox.Group
            options={(['dibao', 'tekun'] as const).map((k) => ({ value: k, label: t(`policy.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="waitingDays" label={t('insurance.scheme.waitingDays')}>
          <InputNumber min={0} max={365} precision={0} data-testid="scheme-waitingDays" />
        </Form.Item>
        <Form.Item name="cityPct" label={t('insurance.schemeForm.cityPct')} rules={required}>
          <InputNumber min={0} max={100} precision={2} data-testid="scheme-cityPct" />
        </Form.Item>
        <Typography.Text strong>{t('insurance.schemeForm.counties')}</Typography.Text>
        <Form.List name="counties">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="start">
                  <Form.Item name={[f.name, 'regionCode']} rules={required}>
                    <RegionTreeSelect rootCode={me.regionCode} selectableLevels={['county']} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'cityPct']} rules={required}>
                    <InputNumber min={0} max={100} precision={2} addonAfter="%" />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>{t('insurance.schemeForm.remove')}</Button>
                </Space>
              ))}
              <Form.Item>
                <Button type="dashed" onClick={() => add({})}>
                  {t('insurance.schemeForm.addCounty')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Typography.Text strong>{t('insurance.schemeForm.coverItems')}</Typography.Text>
        <Form.Item name="coverItemsList" noStyle>
          <span />
        </Form.Item>
        <Form.List name="coverItems">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <div key={f.key} data-testid="scheme-cover-item" style={{ borderBottom: '1px dashed #ddd' }}>
                  <Space wrap align="start">
                    <Form.Item name={[f.name, 'code']} label={t('insurance.field.coverItem')} rules={required}>
                      <Select options={itemOptions} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'maxYuan']} label={t('insurance.schemeForm.maxYuan')} rules={required}>
                      <InputNumber min={0} precision={2} data-testid="scheme-item-max" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'grades']} hidden>
                      <span />
                    </Form.Item>
                    <Form.Item name={[f.name, 'name']} hidden>
                      <span />
                    </Form.Item>
                  </Space>
                  <Form.Item name={[f.name, 'materials']} label={t('insurance.checklist')} rules={required}>
                    <Select mode="multiple" options={materialOptions} />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)} style={{ marginBottom: 8 }}>
                    {t('insurance.schemeForm.remove')}
                  </Button>
                </div>
              ))}
              <Form.Item>
                <Button type="dashed" onClick={() => add({})} style={{ marginTop: 8 }}>
                  {t('insurance.schemeForm.addItem')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Form.Item label={t('insurance.schemeForm.billingRule')}>
          <Typography.Text>{t('insurance.schemeForm.byMonth')}</Typography.Text>
        </Form.Item>
        <Form.Item name="note" label={t('insurance.schemeForm.note')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
