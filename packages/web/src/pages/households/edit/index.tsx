import { useEffect, useMemo, useRef } from 'react';
import { useBlocker, useLocation, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Row, Select, Skeleton } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Household, regionLevelOf, type AssistanceStatus } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import type { FieldMapper } from '../../../api/errors';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { ASSISTANCE_STATUSES } from '../../../components/registry/tags';
import { describeFieldPath } from '../../../components/registry/fieldLabels';
import { MemberCard } from './MemberCard';
import { memberFieldName } from './fieldErrors';
import {
  MAX_MEMBERS,
  emptyHousehold,
  newMember,
  toCreateBody,
  toFormValues,
  toUpdateBody,
  type HouseholdFormValues,
  type MemberFormValues,
} from './formValues';

const TOP_FIELDS = ['regionCode', 'address', 'assistanceStatus', 'members'];

/** `/households/new` and `/households/:id/edit`: one form, a household and its members. */
export default function HouseholdEditPage() {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const { message, modal } = App.useApp();
  const { id } = useParams();
  const editing = id !== undefined;
  const [form] = Form.useForm<HouseholdFormValues>();
  const saved = useRef(false);

  const detail = useRequest(
    (signal) =>
      id ? api.get(`/api/households/${seg(id)}`, { schema: Household, signal }) : Promise.resolve(undefined),
    [id],
  );
  const current = detail.data?.id === id ? detail.data : undefined;

  const mapper = useMemo<FieldMapper>(
    () => ({
      resolve: (segments) => {
        const [head, index, ...rest] = segments;
        if (segments.length === 1 && typeof head === 'string' && TOP_FIELDS.includes(head)) return [head];
        if (head !== 'members' || typeof index !== 'number') return undefined;
        const member = form.getFieldValue(['members', index]) as MemberFormValues | undefined;
        return member ? memberFieldName(member, index, rest) : undefined;
      },
      render: (name, text) =>
        name[2] === 'idNumber' ? <span data-testid={`member-${name[1]}-idNumber-error`}>{text}</span> : text,
    }),
    [form],
  );
  const { run, submitting, error, clearError } = useFormSubmit(form, mapper);
  const conflict = editing && error?.code === 'CONFLICT';

  // The edit form starts from the household as loaded (again after "reload" on a conflict).
  useEffect(() => {
    if (!current) return;
    form.resetFields();
    form.setFieldsValue(toFormValues(current));
  }, [current, form]);

  // Typed-in members are a lot of work to lose to a stray click on the menu.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      !saved.current && currentLocation.pathname !== nextLocation.pathname && form.isFieldsTouched(),
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: t('households.form.leave.title'),
      content: t('households.form.leave.desc'),
      okText: t('households.form.leave.ok'),
      cancelText: t('households.form.leave.stay'),
      okButtonProps: { danger: true, 'data-testid': 'leave-confirm' },
      cancelButtonProps: { 'data-testid': 'leave-stay' },
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker, modal, t]);

  async function submit() {
    // All values, not only mounted fields: `existing` (member ids, masked numbers) has no input.
    const values = form.getFieldsValue(true) as HouseholdFormValues;
    let target = id;
    const ok = await run(async () => {
      if (editing) {
        if (!current) return;
        const body = toUpdateBody(values, current.version);
        target = (await api.put(`/api/households/${seg(current.id)}`, { body, schema: Household })).id;
      } else {
        target = (await api.post('/api/households', { body: toCreateBody(values), schema: Household })).id;
      }
    });
    if (ok && target) {
      saved.current = true;
      void message.success(t(editing ? 'households.edit.done' : 'households.create.done'));
      navigate(`/households/${seg(target)}`, { replace: editing });
      return;
    }
    // Server field errors may sit in the tenth member card: take the clerk there.
    const first = form.getFieldsError().find((f) => f.errors.length > 0);
    if (first) form.scrollToField(first.name, { block: 'center' });
    else window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  function reloadLatest() {
    clearError();
    detail.reload();
  }

  function revalidateHeads() {
    const members = (form.getFieldValue('members') ?? []) as MemberFormValues[];
    const heads = members.filter((m) => m?.relation === 'head').length;
    if (heads > 1 || form.getFieldError(['members']).length > 0)
      form.validateFields([['members']]).catch(() => undefined);
  }

  const village = regionLevelOf(me.regionCode) === 'village' ? me.regionCode : undefined;
  const shownError = error && {
    ...error,
    fields: error.fields.map((f) => ({ ...f, path: describeFieldPath(f.path, t) })),
  };

  return (
    <>
      <PageHeader
        title={
          editing
            ? t('households.edit.title', { householdNo: current?.householdNo ?? '' })
            : t('households.create.title')
        }
      />
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {editing && !current && detail.loading && <Skeleton active paragraph={{ rows: 10 }} />}
      {(!editing || current) && (
        <Form<HouseholdFormValues>
          form={form}
          layout="vertical"
          initialValues={editing ? undefined : emptyHousehold(village)}
          onFinish={() => void submit()}
          onFinishFailed={({ errorFields }) => {
            if (errorFields[0]) form.scrollToField(errorFields[0].name, { block: 'center' });
          }}
          disabled={submitting}
          data-testid="household-form"
        >
          {conflict ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={error.message || t('households.form.conflict.title')}
              description={t('households.form.conflict.desc')}
              action={
                <Button onClick={reloadLatest} data-testid="household-reload">
                  {t('households.form.conflict.reload')}
                </Button>
              }
              data-testid="household-conflict"
            />
          ) : (
            <FormErrorAlert error={shownError} />
          )}
          <Card title={t('households.section.summary')} style={{ marginBottom: 16 }} data-testid="household-basic">
            <Row gutter={16}>
              <Col xs={24} md={12} lg={8}>
                <Form.Item
                  name="regionCode"
                  label={t('households.field.village')}
                  rules={[{ required: true, message: t('households.form.village.required') }]}
                >
                  <RegionTreeSelect
                    rootCode={me.regionCode}
                    valueLabel={current?.regionName}
                    selectableLevels={['village']}
                    placeholder={t('households.form.village.placeholder')}
                    data-testid="household-region"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={10}>
                <Form.Item
                  name="address"
                  label={t('households.field.address')}
                  rules={editing ? [] : [{ required: true, whitespace: true, message: t('form.required') }]}
                  extra={current ? t('households.form.keep', { masked: current.addressMasked }) : undefined}
                >
                  <Input
                    maxLength={200}
                    placeholder={editing ? t('households.form.keep.placeholder') : undefined}
                    data-testid="household-address"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={6}>
                <Form.Item
                  name="assistanceStatus"
                  label={t('households.field.status')}
                  rules={[{ required: true, message: t('form.required') }]}
                  extra={editing ? t('households.form.statusDerived') : undefined}
                >
                  <Select<AssistanceStatus>
                    // The status follows the household's enrolments: an application, a review or a change sets it.
                    disabled={editing}
                    options={ASSISTANCE_STATUSES.map((s) => ({ value: s, label: t(`registry.status.${s}`) }))}
                    data-testid="household-status"
                  />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Form.List
            name="members"
            rules={[
              {
                validator: (_, members: MemberFormValues[] | undefined) => {
                  const heads = (members ?? []).filter((m) => m?.relation === 'head').length;
                  if (heads === 1) return Promise.resolve();
                  return Promise.reject(
                    new Error(
                      heads === 0 ? t('households.form.head.none') : t('households.form.head.many', { n: heads }),
                    ),
                  );
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f) => (
                  <MemberCard
                    key={f.key}
                    form={form}
                    index={f.name}
                    count={fields.length}
                    onRemove={() => {
                      remove(f.name);
                      revalidateHeads();
                    }}
                    onRelationChange={revalidateHeads}
                  />
                ))}
                <div data-testid="members-error" style={{ marginBottom: 8 }}>
                  <Form.ErrorList errors={errors} />
                </div>
                <Button
                  type="dashed"
                  block
                  icon={<PlusOutlined />}
                  disabled={fields.length >= MAX_MEMBERS}
                  onClick={() => add(newMember())}
                  style={{ marginBottom: 16 }}
                  data-testid="member-add"
                >
                  {t('households.form.addMember', { max: MAX_MEMBERS })}
                </Button>
              </>
            )}
          </Form.List>

          <Flex gap="small" justify="end">
            <Button
              // Back where the clerk came from; from a deep link, to the detail or the list.
              onClick={() =>
                location.key === 'default' ? navigate(id ? `/households/${seg(id)}` : '/households') : navigate(-1)
              }
              disabled={false}
              data-testid="household-cancel"
            >
              {t('common.cancel')}
            </Button>
            <Button type="primary" htmlType="submit" loading={submitting} data-testid="household-submit">
              {t('common.save')}
            </Button>
          </Flex>
        </Form>
      )}
    </>
  );
}
