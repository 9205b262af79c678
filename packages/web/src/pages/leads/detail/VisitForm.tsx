import { useRef, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  LEAD_PHOTO_MAX_COUNT,
  LeadDetail,
  type GpsPosition,
  type LeadVisitOutcome,
  type ReferralAgency,
} from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useT } from '../../../i18n';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { LocationPicker } from '../../../components/field/LocationPicker';
import { PhotoPicker, type PickedPhoto } from '../../../components/field/PhotoPicker';
import { REFERRAL_AGENCIES, VISIT_OUTCOMES } from '../tags';

interface Values {
  visitedAt: Dayjs;
  notes: string;
  outcome: LeadVisitOutcome;
  referralAgency?: ReferralAgency;
  referralNote?: string;
}

const FIELDS = ['visitedAt', 'notes', 'outcome', 'referralAgency', 'referralNote'] as const;

/** A key per visit being entered: a resend of the same visit (a flaky phone network) is recognised by the server. */
function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** The visit form of an open lead: notes, photos (camera on phones), GPS, time and outcome. */
export function VisitForm({ leadId, onSaved }: { leadId: string; onSaved: (lead: LeadDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error } = useFormSubmit(form, FIELDS);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [location, setLocation] = useState<GpsPosition | null>(null);
  const key = useRef(newKey());
  const outcome = Form.useWatch('outcome', form);
  const agency = Form.useWatch('referralAgency', form);

  async function submit(values: Values) {
    await run(async () => {
      const lead = await api.post(`/api/leads/${seg(leadId)}/visits`, {
        body: {
          visitedAt: values.visitedAt.toISOString(),
          notes: values.notes,
          outcome: values.outcome,
          ...(values.outcome === 'referred'
            ? { referralAgency: values.referralAgency, referralNote: values.referralNote || undefined }
            : {}),
          ...(location ? { location } : {}),
          photos: photos.map((p) => ({ data: p.dataUrl })),
        },
        headers: { 'Idempotency-Key': key.current },
        schema: LeadDetail,
      });
      key.current = newKey();
      form.resetFields();
      setPhotos([]);
      setLocation(null);
      void message.success(t('leads.visit.saved'));
      onSaved(lead);
    });
  }

  return (
    <Card title={t('leads.visit.title')} data-testid="visit-form-card">
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ visitedAt: dayjs() }}
        onFinish={(v) => void submit(v)}
        data-testid="visit-form"
      >
        <FormErrorAlert error={error} />
        <Form.Item
          name="visitedAt"
          label={t('leads.visit.visitedAt')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            style={{ width: '100%' }}
            inputReadOnly
            data-testid="visit-time"
          />
        </Form.Item>
        <Form.Item
          name="notes"
          label={t('leads.visit.notes')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={2000}
            placeholder={t('leads.visit.notesPlaceholder')}
            data-testid="visit-notes"
          />
        </Form.Item>
        <Form.Item label={t('leads.visit.photos')} extra={t('leads.visit.photoHint', { count: LEAD_PHOTO_MAX_COUNT })}>
          <PhotoPicker value={photos} onChange={setPhotos} testIdPrefix="visit" />
        </Form.Item>
        <Form.Item label={t('leads.visit.location')}>
          <LocationPicker value={location} onChange={setLocation} testIdPrefix="visit" />
        </Form.Item>
        <Form.Item
          name="outcome"
          label={t('leads.visit.outcome')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Radio.Group data-testid="visit-outcome">
            <Space orientation="vertical">
              {VISIT_OUTCOMES.map((o) => (
                <Radio key={o} value={o} data-testid={`visit-outcome-${o}`}>
                  {t(`leads.outcome.${o}`)}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {outcome === 'referred' && (
          <Form.Item
            name="referralAgency"
            label={t('leads.visit.agency')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Radio.Group data-testid="visit-agency">
              <Space orientation="vertical">
                {REFERRAL_AGENCIES.map((a) => (
                  <Radio key={a} value={a} data-testid={`visit-agency-${a}`}>
                    {t(`leads.agency.${a}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        )}
        {outcome === 'referred' && agency === 'other' && (
          <Form.Item
            name="referralNote"
            label={t('leads.visit.agencyNote')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }]}
          >
            <Input maxLength={200} data-testid="visit-agency-note" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="visit-submit">
          {t('leads.visit.submit')}
        </Button>
      </Form>
    </Card>
  );
}
