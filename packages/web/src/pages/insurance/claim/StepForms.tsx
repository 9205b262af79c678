import { useRef, useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Radio, Space, Typography, type ButtonProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { chinaToday, type ClaimDetail, type ClaimStep, type DocumentKind } from '@jiuzhu/shared';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useT } from '../../../i18n';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { DATE_FORMAT, fenToYuan, formatYuan, yuanToFen } from '../../../lib/format';
import { insuranceApi, newIdempotencyKey } from '../api';
import { coverItemName, documentName } from '../tags';

type Values = Record<string, unknown>;
const YUAN = /^\d{1,7}(\.\d{1,2})?$/;
/** The server's limit per document. */
const MAX_BYTES = 4 * 1024 * 1024;
const ACCEPT = 'application/pdf,image/jpeg,image/png';

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^;]*;base64,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/**
 * One step of a claim: its fields, a confirmation naming the person and the claim number, then
 * the POST with an idempotency key that lives as long as the form's content.
 * Test ids: `form-<step>`, `<step>-<field>`, `<step>-submit`, `confirm-ok`.
 */
export function ClaimStepForm({
  claim,
  step,
  onActed,
}: {
  claim: ClaimDetail;
  step: ClaimStep;
  onActed: (c: ClaimDetail) => void;
}) {
  const t = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error } = useFormSubmit(form, [
    'note',
    'decision',
    'disabilityGrade',
    'amountFen',
    'reasons',
    'paidOn',
    'reference',
    'completeOn',
  ]);
  const key = useRef(newIdempotencyKey());
  const [files, setFiles] = useState<Partial<Record<DocumentKind, File>>>({});
  const [fileError, setFileError] = useState<string | null>(null);
  const decision = Form.useWatch('decision', form);
  const missing = claim.checklist.filter((c) => !c.received).map((c) => c.kind);

  const body = async (v: Values): Promise<unknown> => {
    switch (step) {
      case 'guide':
        return { note: (v.note as string | undefined)?.trim() || null };
      case 'receive': {
        const documents = [];
        for (const [kind, file] of Object.entries(files) as [DocumentKind, File][])
          documents.push({
            kind,
            fileName: file.name.slice(0, 200),
            mimeType: file.type === 'application/pdf' || file.type === 'image/png' ? file.type : 'image/jpeg',
            contentBase64: await readBase64(file),
          });
        return { documents, ...(v.completeOn ? { completeOn: (v.completeOn as Dayjs).format(DATE_FORMAT) } : {}) };
      }
      case 'review':
        return {
          decision: v.decision,
          ...(v.disabilityGrade ? { disabilityGrade: v.disabilityGrade } : {}),
          ...(v.amountFen ? { amountFen: yuanToFen(v.amountFen as string) } : {}),
          reasons: String(v.reasons ?? '').trim(),
        };
      case 'pay':
        return {
          paidOn: (v.paidOn as Dayjs).format(DATE_FORMAT),
          amountFen: yuanToFen(v.amountFen as string),
          reference: String(v.reference ?? '').trim(),
        };
    }
  };

  const send = async (payload: unknown) => {
    let result: ClaimDetail | undefined;
    const ok = await run(async () => {
      result = await insuranceApi.act(claim.id, step, payload, key.current);
    });
    if (ok && result) {
      key.current = newIdempotencyKey();
      form.resetFields();
      setFiles({});
      onActed(result);
    }
  };

  const refuse = step === 'review' && decision === 'refuse';
  const label = t(refuse ? 'insurance.step.refuse' : `insurance.step.${step}`);
  const onFinish = async (v: Values) => {
    if (step === 'receive') {
      if (Object.keys(files).length === 0) return setFileError(t('insurance.receive.none'));
      const big = Object.values(files).find((f) => f.size > MAX_BYTES);
      if (big) return setFileError(t('insurance.receive.tooLarge', { name: big.name }));
    }
    setFileError(null);
    const payload = await body(v);
    modal.confirm({
      title: label,
      content: (
        <span data-testid="confirm-question">
          {t('insurance.confirm', { step: label, name: claim.name, claimNo: claim.claimNo })}
        </span>
      ),
      okText: label,
      okButtonProps: { danger: refuse, 'data-testid': 'confirm-ok' } as ButtonProps,
      cancelButtonProps: { 'data-testid': 'confirm-cancel' } as ButtonProps,
      onOk: () => send(payload),
    });
  };

  return (
    <Form
      form={form}
      layout="vertical"
      disabled={submitting}
      onFinish={onFinish}
      data-testid={`form-${step}`}
      initialValues={
        step === 'review'
          ? { decision: 'approve' }
          : step === 'pay'
            ? { paidOn: dayjs(chinaToday()), amountFen: fenToYuan(claim.approvedFen) }
            : {}
      }
    >
      <FormErrorAlert error={error} />
      {step === 'guide' && (
        <>
          <Typography.Paragraph>{t('insurance.guide.intro')}</Typography.Paragraph>
          <ul data-testid="guide-checklist">
            {claim.checklist.map((c) => (
              <li key={c.kind}>{documentName(t, c.kind)}</li>
            ))}
          </ul>
          <Form.Item name="note" label={t('insurance.field.note')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="guide-note" />
          </Form.Item>
        </>
      )}
      {step === 'receive' && (
        <>
          <Typography.Paragraph type="secondary">{t('insurance.receive.intro')}</Typography.Paragraph>
          <Space direction="vertical" style={{ width: '100%' }}>
            {(missing.length ? missing : claim.checklist.map((c) => c.kind)).map((kind) => (
              <div key={kind}>
                <Typography.Text>{documentName(t, kind)}</Typography.Text>{' '}
                <input
                  type="file"
                  accept={ACCEPT}
                  style={{ maxWidth: '100%' }}
                  aria-label={documentName(t, kind)}
                  data-testid={`receive-file-${kind}`}
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    setFiles((prev) => {
                      const next = { ...prev };
                      if (f) next[kind] = f;
                      else delete next[kind];
                      return next;
                    });
                  }}
                />
              </div>
            ))}
          </Space>
          {fileError && (
            <Typography.Paragraph type="danger" data-testid="receive-error">
              {fileError}
            </Typography.Paragraph>
          )}
          <Form.Item name="completeOn" label={t('insurance.field.completeOn')} style={{ marginTop: 12 }}>
            <DatePicker disabledDate={(d) => d.format(DATE_FORMAT) > chinaToday()} data-testid="receive-completeOn" />
          </Form.Item>
        </>
      )}
      {step === 'review' && (
        <>
          <Form.Item name="decision" label={t('insurance.field.decision')}>
            <Radio.Group data-testid="review-decision">
              <Radio value="approve" data-testid="review-approve">
                {t('insurance.step.approve')}
              </Radio>
              <Radio value="refuse" data-testid="review-refuse">
                {t('insurance.step.refuse')}
              </Radio>
            </Radio.Group>
          </Form.Item>
          {decision !== 'refuse' && (
            <>
              <Typography.Paragraph type="secondary">
                {t('insurance.review.item', { item: coverItemName(t, claim.coverItem) })}
              </Typography.Paragraph>
              {claim.coverItem === 'disability_accident' && (
                <Form.Item
                  name="disabilityGrade"
                  label={t('insurance.field.disabilityGrade')}
                  rules={[{ required: true, message: t('form.required') }]}
                >
                  <InputNumber min={1} max={10} precision={0} data-testid="review-disabilityGrade" />
                </Form.Item>
              )}
              <Form.Item
                name="amountFen"
                label={t('insurance.field.approvedAmount')}
                extra={t('insurance.review.amountHint')}
                rules={[{ pattern: YUAN, message: t('cases.form.yuanInvalid') }]}
              >
                <Input
                  inputMode="decimal"
                  suffix={t('policy.unit.yuan')}
                  maxLength={12}
                  data-testid="review-amountFen"
                />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="reasons"
            label={t('insurance.field.reasons')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('form.required') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} data-testid="review-reasons" />
          </Form.Item>
        </>
      )}
      {step === 'pay' && (
        <>
          <Typography.Paragraph type="secondary">
            {t('insurance.pay.approved', { amount: formatYuan(claim.approvedFen) })}
          </Typography.Paragraph>
          <Form.Item
            name="paidOn"
            label={t('insurance.field.paidOn')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <DatePicker disabledDate={(d) => d.format(DATE_FORMAT) > chinaToday()} data-testid="pay-paidOn" />
          </Form.Item>
          <Form.Item
            name="amountFen"
            label={t('insurance.field.paidAmount')}
            rules={[
              { required: true, message: t('form.required') },
              { pattern: YUAN, message: t('cases.form.yuanInvalid') },
            ]}
          >
            <Input inputMode="decimal" suffix={t('policy.unit.yuan')} maxLength={12} data-testid="pay-amountFen" />
          </Form.Item>
          <Form.Item
            name="reference"
            label={t('insurance.field.reference')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }]}
          >
            <Input maxLength={80} data-testid="pay-reference" />
          </Form.Item>
        </>
      )}
      <Button type="primary" danger={refuse} htmlType="submit" loading={submitting} data-testid={`${step}-submit`}>
        {label}
      </Button>
    </Form>
  );
}
