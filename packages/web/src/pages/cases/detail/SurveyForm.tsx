import { useMemo, useState } from 'react';
import { Button, Card, Col, DatePicker, Flex, Form, Input, InputNumber, Row, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { LEAD_PHOTO_MAX_COUNT, chinaToday, type GpsPosition, type SurveyBody } from '@jiuzhu/shared';
import type { FieldMapper } from '../../../api/errors';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { yuanToFen } from '../../../lib/format';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { LocationPicker } from '../../../components/field/LocationPicker';
import { PhotoPicker, type PickedPhoto } from '../../../components/field/PhotoPicker';
import { useStepAction, type OnActed } from './useStepAction';

interface Values {
  surveyedOn: Dayjs;
  staff: string[];
  findings: string;
  otherIncome?: string;
  medicalCosts?: string;
  unmetAdl: number;
}

const YUAN = /^\d{1,7}(\.\d{1,2})?$/;
const MIN_STAFF = 2;
const MAX_STAFF = 6;
const TOP = ['surveyedOn', 'findings', 'unmetAdl', 'staff'];

/** The household survey (入户调查): at least two staff, the date, findings, extra income and costs, photos, GPS. */
export function SurveyForm({ caseId, onActed }: { caseId: string; onActed: OnActed }) {
  const t = useT();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const mapper = useMemo<FieldMapper>(
    () => ({
      resolve: (s) => {
        const [head, index] = s;
        if (head === 'otherIncomeFen') return ['otherIncome'];
        if (head === 'medicalCostsFen') return ['medicalCosts'];
        if (head === 'staff' && typeof index === 'number') return ['staff', index];
        if (typeof head === 'string' && s.length === 1 && TOP.includes(head)) return [head];
        return undefined;
      },
    }),
    [],
  );
  const { submit, submitting, error } = useStepAction(form, mapper, caseId, 'record_survey', onActed);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [location, setLocation] = useState<GpsPosition | null>(null);

  async function onFinish(v: Values) {
    const body: SurveyBody = {
      surveyedOn: v.surveyedOn.format('YYYY-MM-DD'),
      staff: v.staff.map((s) => s.trim()).filter(Boolean),
      findings: v.findings.trim(),
      otherIncomeFen: yuanToFen(v.otherIncome) ?? 0,
      medicalCostsFen: yuanToFen(v.medicalCosts) ?? 0,
      unmetAdl: v.unmetAdl,
      location,
      photos: photos.map((p) => p.dataUrl),
    };
    await submit(body);
    setPhotos([]);
    setLocation(null);
  }

  const yuanRule = { pattern: YUAN, message: t('cases.form.yuanInvalid') };
  return (
    <Card title={t('cases.survey.title')} size="small" data-testid="card-record_survey">
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={submitting}
        // The survey date is a China date, whatever the device's time zone.
        initialValues={{ surveyedOn: dayjs(chinaToday()), staff: [me.displayName, ''], unmetAdl: 0 }}
        onFinish={(v) => void onFinish(v)}
        data-testid="form-record_survey"
      >
        <FormErrorAlert error={error} />
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="surveyedOn"
              label={t('cases.survey.date')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                inputReadOnly
                disabledDate={(d) => d.format('YYYY-MM-DD') > chinaToday()}
                data-testid="survey-date"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="unmetAdl"
              label={t('cases.survey.unmetAdl')}
              extra={t('cases.survey.unmetAdl.help')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <InputNumber min={0} max={6} precision={0} style={{ width: '100%' }} data-testid="survey-unmetAdl" />
            </Form.Item>
          </Col>
        </Row>
        <Form.List
          name="staff"
          rules={[
            {
              validator: (_, staff: string[] | undefined) =>
                (staff ?? []).filter((s) => s?.trim()).length >= MIN_STAFF
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('cases.survey.staff.min'))),
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Form.Item label={t('cases.survey.staff')} required>
              <Space orientation="vertical" style={{ width: '100%' }}>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8}>
                    <Form.Item name={f.name} noStyle>
                      <Input maxLength={40} data-testid={`survey-staff-${f.name}`} />
                    </Form.Item>
                    {fields.length > MIN_STAFF && (
                      <Button
                        icon={<DeleteOutlined />}
                        aria-label={t('cases.member.remove')}
                        onClick={() => remove(f.name)}
                      />
                    )}
                  </Flex>
                ))}
                {fields.length < MAX_STAFF && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} data-testid="survey-staff-add">
                    {t('cases.survey.staff.add')}
                  </Button>
                )}
                <Form.ErrorList errors={errors} />
              </Space>
            </Form.Item>
          )}
        </Form.List>
        <Form.Item
          name="findings"
          label={t('cases.survey.findings')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={2000}
            placeholder={t('leads.visit.notesPlaceholder')}
            data-testid="survey-findings"
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="otherIncome"
              label={t('cases.survey.otherIncome')}
              extra={t('cases.survey.otherIncome.help')}
              rules={[yuanRule]}
            >
              <Input
                inputMode="decimal"
                suffix={t('policy.unit.yuan')}
                maxLength={12}
                data-testid="survey-otherIncome"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="medicalCosts" label={t('cases.survey.medicalCosts')} rules={[yuanRule]}>
              <Input
                inputMode="decimal"
                suffix={t('policy.unit.yuan')}
                maxLength={12}
                data-testid="survey-medicalCosts"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('leads.visit.photos')} extra={t('leads.visit.photoHint', { count: LEAD_PHOTO_MAX_COUNT })}>
          <PhotoPicker value={photos} onChange={setPhotos} testIdPrefix="survey" />
        </Form.Item>
        <Form.Item label={t('leads.visit.location')}>
          <LocationPicker value={location} onChange={setLocation} testIdPrefix="survey" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          size="large"
          loading={submitting}
          data-testid="record_survey-submit"
        >
          {t('cases.survey.submit')}
        </Button>
      </Form>
    </Card>
  );
}
