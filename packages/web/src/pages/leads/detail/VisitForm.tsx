import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, Radio, Space, Typography } from 'antd';
import { CameraOutlined, CloseOutlined, EnvironmentOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import {
  LEAD_PHOTO_MAX_BYTES,
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
import { REFERRAL_AGENCIES, VISIT_OUTCOMES } from '../tags';

interface Values {
  visitedAt: Dayjs;
  notes: string;
  outcome: LeadVisitOutcome;
  referralAgency?: ReferralAgency;
  referralNote?: string;
}

type Photo = { name: string; url: string; dataUrl: string };

const FIELDS = ['visitedAt', 'notes', 'outcome', 'referralAgency', 'referralNote'] as const;

/** A key per visit being entered: a resend of the same visit (a flaky phone network) is recognised by the server. */
function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** The visit form of an open lead: notes, photos (camera on phones), GPS, time and outcome. */
export function VisitForm({ leadId, onSaved }: { leadId: string; onSaved: (lead: LeadDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error } = useFormSubmit(form, FIELDS);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [location, setLocation] = useState<GpsPosition | null>(null);
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const key = useRef(newKey());
  const outcome = Form.useWatch('outcome', form);
  const agency = Form.useWatch('referralAgency', form);

  // Object URLs of the previews are released when they leave the form.
  const urls = useRef<string[]>([]);
  useEffect(() => {
    const held = urls.current;
    return () => held.forEach((u) => URL.revokeObjectURL(u));
  }, []);

  async function addPhotos(files: FileList | null) {
    setPhotoError(null);
    if (!files) return;
    const next = [...photos];
    for (const file of Array.from(files)) {
      if (next.length >= LEAD_PHOTO_MAX_COUNT) break;
      if (!['image/jpeg', 'image/png'].includes(file.type)) {
        setPhotoError(t('leads.visit.photoType', { name: file.name }));
        continue;
      }
      if (file.size > LEAD_PHOTO_MAX_BYTES) {
        setPhotoError(t('leads.visit.photoTooLarge', { name: file.name }));
        continue;
      }
      const url = URL.createObjectURL(file);
      urls.current.push(url);
      next.push({ name: file.name, url, dataUrl: await readDataUrl(file) });
    }
    setPhotos(next);
    if (fileInput.current) fileInput.current.value = '';
  }

  function locate() {
    setLocationError(null);
    if (!('geolocation' in navigator)) {
      setLocationError(t('leads.visit.locationUnsupported'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setLocation({
          latitude: pos.coords.latitude,
          longitude: pos.coords.longitude,
          accuracy: Math.min(pos.coords.accuracy, 100_000),
        });
      },
      (err) => {
        setLocating(false);
        setLocationError(t('leads.visit.locationFailed', { reason: err.message }));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  }

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
          <input
            ref={fileInput}
            type="file"
            accept="image/jpeg,image/png"
            capture="environment"
            multiple
            // Opened by the button below; `hidden` alone loses to the form's input styles.
            style={{ display: 'none' }}
            onChange={(e) => void addPhotos(e.target.files)}
            data-testid="visit-photo-input"
          />
          <Flex wrap gap={8}>
            {photos.map((p, i) => (
              <div key={p.url} style={{ position: 'relative' }} data-testid={`visit-photo-preview-${i}`}>
                <img
                  src={p.url}
                  alt={p.name}
                  style={{ width: 88, height: 88, objectFit: 'cover', borderRadius: 6, border: '1px solid #eee' }}
                />
                <Button
                  size="small"
                  shape="circle"
                  icon={<CloseOutlined />}
                  aria-label={t('leads.visit.removePhoto')}
                  style={{ position: 'absolute', top: -6, right: -6 }}
                  onClick={() => setPhotos(photos.filter((_, j) => j !== i))}
                />
              </div>
            ))}
            {photos.length < LEAD_PHOTO_MAX_COUNT && (
              <Button
                icon={<CameraOutlined />}
                style={{ height: 88 }}
                onClick={() => fileInput.current?.click()}
                data-testid="visit-photo-add"
              >
                {t('leads.visit.addPhoto')}
              </Button>
            )}
          </Flex>
          {photoError && <Typography.Text type="danger">{photoError}</Typography.Text>}
        </Form.Item>
        <Form.Item label={t('leads.visit.location')}>
          <Space orientation="vertical" size={4} style={{ width: '100%' }}>
            <Button icon={<EnvironmentOutlined />} loading={locating} onClick={locate} data-testid="visit-locate">
              {t('leads.visit.useLocation')}
            </Button>
            <Typography.Text type={location ? undefined : 'secondary'} data-testid="visit-location">
              {location
                ? t('leads.visit.locationValue', {
                    lat: location.latitude.toFixed(6),
                    lng: location.longitude.toFixed(6),
                    acc: Math.round(location.accuracy),
                  })
                : t('leads.visit.locationNone')}
            </Typography.Text>
            {locationError && <Typography.Text type="danger">{locationError}</Typography.Text>}
          </Space>
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
