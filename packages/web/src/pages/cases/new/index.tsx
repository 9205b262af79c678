import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Form, Input, Row, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { LeadDetail, LeadPrefill, regionLevelOf, type ApplicationMember, type CreateCaseBody } from '@jiuzhu/shared';
import { api, isApiError, seg } from '../../../api/client';
import type { FieldMapper } from '../../../api/errors';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useI18n } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { ID_NUMBER_TRIGGERS, idNumberRules, idNumberToSend } from '../../../components/registry/idNumberRules';
import { casesApi, newIdempotencyKey } from '../api';

type Relation = ApplicationMember['relation'];
/** Relations a member other than the applicant may have. */
const RELATIONS: readonly Relation[] = ['spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'];
const MAX_MEMBERS = 20;
const TOP_FIELDS = ['villageCode', 'address', 'phone', 'reason', 'emergency', 'consent', 'members'];

interface MemberValues {
  name?: string;
  idNumber?: string;
  relation: Relation;
}
interface Values {
  members: MemberValues[];
  villageCode?: string;
  address?: string;
  phone?: string;
  reason?: string;
  emergency: boolean;
  consent: boolean;
}

interface Duplicate {
  message: string;
  caseId: string | null;
  caseNo: string | null;
  householdId: string | null;
}

/** `/cases/new`: the one-window application (一窗受理), entered by the township window or a grid worker. */
export default function CaseNewPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const leadId = params.get('lead') ?? undefined;
  const [form] = Form.useForm<Values>();
  const [duplicate, setDuplicate] = useState<Duplicate | null>(null);
  // One key per application being entered: a resend after a lost answer does not file it twice.
  const key = useRef(newIdempotencyKey());

  const lead = useRequest(
    (signal) =>
      leadId ? api.get(`/api/leads/${seg(leadId)}`, { schema: LeadDetail, signal }) : Promise.resolve(undefined),
    [leadId],
  );
  // The lead's registry household fills the form: members with ID numbers, address, phone (the reveal is audited).
  const prefill = useRequest(
    (signal) =>
      leadId
        ? api.get(`/api/leads/${seg(leadId)}/application-prefill`, { schema: LeadPrefill, signal })
        : Promise.resolve(undefined),
    [leadId],
  );
  useEffect(() => {
    const p = prefill.data;
    if (!p || p.leadId !== leadId) return;
    form.setFieldsValue({
      members: p.members.map((m) => ({ name: m.name, idNumber: m.idNumber || undefined, relation: m.relation })),
      villageCode: p.villageCode,
      ...(p.address ? { address: p.address } : {}),
      ...(p.phone ? { phone: p.phone } : {}),
    });
  }, [prefill.data, leadId, form]);

  const mapper = useMemo<FieldMapper>(
    () => ({
      resolve: (segments) => {
        const [head, index, field] = segments;
        if (segments.length === 1 && typeof head === 'string' && TOP_FIELDS.includes(head)) return [head];
        if (head === 'members' && typeof index === 'number' && typeof field === 'string')
          return ['members', index, field];
        if (head === 'members' && segments.length === 1) return ['members'];
        return undefined;
      },
      render: (name, text) =>
        name[0] === 'members' && name.length === 3 ? (
          <span data-testid={`member-${name[1]}-${name[2]}-error`}>{text}</span>
        ) : (
          text
        ),
    }),
    [],
  );
  const { run, submitting, error } = useFormSubmit(form, mapper);

  async function submit(values: Values) {
    setDuplicate(null);
    let created: string | undefined;
    const ok = await run(async () => {
      const body: CreateCaseBody = {
        members: values.members.map((m, i) => ({
          name: (m.name ?? '').trim(),
          idNumber: idNumberToSend(m.idNumber ?? ''),
          relation: i === 0 ? 'self' : m.relation,
        })),
        villageCode: values.villageCode ?? '',
        address: (values.address ?? '').trim(),
        phone: (values.phone ?? '').replace(/\s+/g, ''),
        reason: (values.reason ?? '').trim(),
        emergency: values.emergency,
        consent: true,
        ...(leadId ? { leadId } : {}),
      };
      try {
        created = (await casesApi.create(body, key.current)).id;
      } catch (e) {
        if (isApiError(e) && e.status === 409) {
          const d = e.details;
          setDuplicate({
            message: e.message,
            caseId: typeof d.caseId === 'string' ? d.caseId : null,
            caseNo: typeof d.caseNo === 'string' ? d.caseNo : null,
            householdId: typeof d.householdId === 'string' ? d.householdId : null,
          });
        }
        throw e;
      }
    });
    if (ok && created) {
      void message.success(t('cases.new.done'));
      navigate(`/cases/${seg(created)}`);
      return;
    }
    const first = form.getFieldsError().find((f) => f.errors.length > 0);
    if (first) form.scrollToField(first.name, { block: 'center' });
    else window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  const village = regionLevelOf(me.regionCode) === 'village' ? me.regionCode : undefined;

  return (
    <>
      <PageHeader title={t('cases.new.title')} />
      <ErrorAlert error={lead.error} onRetry={lead.reload} />
      <ErrorAlert error={prefill.error} onRetry={prefill.reload} />
      {lead.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('cases.new.fromLead', { leadNo: lead.data.leadNo, name: lead.data.personName })}
          description={
            prefill.data && prefill.data.members.some((m) => m.idNumber)
              ? t('cases.new.prefilled', { n: prefill.data.members.length })
              : undefined
          }
          data-testid="case-new-lead"
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          members: [{ relation: 'self' }],
          villageCode: village,
          emergency: false,
          consent: false,
        }}
        onFinish={(v) => void submit(v)}
        onFinishFailed={({ errorFields }) => {
          if (errorFields[0]) form.scrollToField(errorFields[0].name, { block: 'center' });
        }}
        disabled={submitting}
        data-testid="case-form"
      >
        {duplicate ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={duplicate.message || t('cases.new.duplicate')}
            description={
              duplicate.caseId ? (
                <Link to={`/cases/${seg(duplicate.caseId)}`} data-testid="case-duplicate-link">
                  {t('cases.new.duplicateOpen', { caseNo: duplicate.caseNo ?? '' })}
                </Link>
              ) : duplicate.householdId ? (
                <Link to={`/households/${seg(duplicate.householdId)}`} data-testid="case-duplicate-household">
                  {t('cases.new.duplicateHousehold')}
                </Link>
              ) : undefined
            }
            data-testid="case-duplicate"
          />
        ) : (
          <FormErrorAlert error={error} />
        )}

        <Card title={t('cases.section.members')} size="small" style={{ marginBottom: 16 }}>
          <Form.List name="members">
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f) => {
                  const i = f.name;
                  return (
                    <Card
                      key={f.key}
                      type="inner"
                      size="small"
                      style={{ marginBottom: 12 }}
                      title={i === 0 ? t('cases.member.applicant') : t('cases.member.n', { n: i + 1 })}
                      extra={
                        i > 0 && (
                          <Button
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            onClick={() => remove(i)}
                            aria-label={t('cases.member.remove')}
                            data-testid={`member-${i}-remove`}
                          />
                        )
                      }
                      data-testid={`member-${i}`}
                    >
                      <Row gutter={12}>
                        <Col xs={24} sm={8}>
                          <Form.Item
                            name={[i, 'name']}
                            label={t('cases.member.name')}
                            rules={[{ required: true, whitespace: true, message: t('form.required') }]}
                          >
                            <Input maxLength={40} data-testid={`member-${i}-name`} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={10}>
                          <Form.Item
                            name={[i, 'idNumber']}
                            label={t('cases.member.idNumber')}
                            validateTrigger={ID_NUMBER_TRIGGERS}
                            validateFirst
                            rules={idNumberRules({
                              lang,
                              t,
                              required: true,
                              errorTestId: `member-${i}-idNumber-error`,
                            })}
                          >
                            <Input
                              maxLength={30}
                              inputMode="text"
                              autoComplete="off"
                              style={{ fontFamily: 'monospace' }}
                              data-testid={`member-${i}-idNumber`}
                            />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={6}>
                          {i === 0 ? (
                            <Form.Item label={t('cases.member.relation')}>
                              <Typography.Text>{t('cases.relation.self')}</Typography.Text>
                            </Form.Item>
                          ) : (
                            <Form.Item
                              name={[i, 'relation']}
                              label={t('cases.member.relation')}
                              rules={[{ required: true, message: t('form.required') }]}
                            >
                              <Select<Relation>
                                options={RELATIONS.map((r) => ({ value: r, label: t(`cases.relation.${r}`) }))}
                                data-testid={`member-${i}-relation`}
                              />
                            </Form.Item>
                          )}
                        </Col>
                      </Row>
                    </Card>
                  );
                })}
                <Form.ErrorList errors={errors} />
                {fields.length < MAX_MEMBERS && (
                  <Button
                    type="dashed"
                    block
                    icon={<PlusOutlined />}
                    onClick={() => add({ relation: 'spouse' })}
                    data-testid="member-add"
                  >
                    {t('cases.member.add')}
                  </Button>
                )}
              </>
            )}
          </Form.List>
        </Card>

        <Card title={t('cases.section.application')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item
                name="villageCode"
                label={t('cases.field.village')}
                rules={[{ required: true, message: t('cases.new.village.required') }]}
              >
                <RegionTreeSelect
                  rootCode={me.regionCode}
                  valueLabel={lead.data?.regionName}
                  selectableLevels={['village']}
                  placeholder={t('cases.new.village.placeholder')}
                  data-testid="case-village"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="phone"
                label={t('cases.field.phone')}
                rules={[
                  { required: true, message: t('form.required') },
                  { pattern: /^\s*1\d{10}\s*$/, message: t('cases.new.phone.invalid') },
                ]}
              >
                <Input maxLength={20} inputMode="tel" autoComplete="off" data-testid="case-phone" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item
                name="address"
                label={t('cases.field.address')}
                rules={[{ required: true, whitespace: true, message: t('form.required') }]}
              >
                <Input maxLength={200} data-testid="case-address" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item
                name="reason"
                label={t('cases.field.reason')}
                rules={[{ required: true, whitespace: true, message: t('form.required') }]}
              >
                <Input.TextArea
                  rows={3}
                  maxLength={1000}
                  placeholder={t('cases.new.reason.placeholder')}
                  data-testid="case-reason"
                />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item
                name="emergency"
                label={t('cases.field.emergency')}
                valuePropName="checked"
                extra={t('cases.new.emergency.help')}
              >
                <Switch data-testid="case-emergency-switch" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item
                name="consent"
                valuePropName="checked"
                rules={[
                  {
                    validator: (_, v: boolean) =>
                      v ? Promise.resolve() : Promise.reject(new Error(t('cases.new.consent.required'))),
                  },
                ]}
              >
                <Checkbox data-testid="case-consent">{t('cases.new.consent')}</Checkbox>
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Flex justify="flex-end">
          <Button type="primary" htmlType="submit" size="large" loading={submitting} data-testid="case-submit">
            {t('cases.new.submit')}
          </Button>
        </Flex>
      </Form>
    </>
  );
}
