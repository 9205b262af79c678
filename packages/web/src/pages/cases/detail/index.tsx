import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Flex, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import type { CaseDetail, StepClock } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useCanOpen } from '../../../app/useCanOpen';
import { useT } from '../../../i18n';
import { formatDate, formatDateTime, formatYuan } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ReferButton } from '../../referrals/ReferButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { casesApi } from '../api';
import { isMessageKey } from '../calc';
import { CaseFlags, CaseStatusTag, ClockTag, StepDue } from '../tags';
import { DetailHeader } from '../../../components/detail/DetailHeader';
import { ActionForms } from './ActionForms';
import { CaseTimeline } from './CaseTimeline';
import { DeterminationView, VerificationView } from './Reports';
import type { OnActed } from './useStepAction';

function ClockView({ clock, testId }: { clock: StepClock; testId: string }) {
  const t = useT();
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 4 }}
      data-testid={testId}
      items={[
        { key: 'started', label: t('cases.clock.started'), children: clock.startedOn },
        {
          key: 'due',
          label: t('cases.clock.due'),
          children: (
            <Typography.Text type={clock.overdue ? 'danger' : undefined} data-testid={`${testId}-due`}>
              {clock.dueOn ?? '—'}
            </Typography.Text>
          ),
        },
        {
          key: 'elapsed',
          label: t('cases.clock.elapsed'),
          children: t('cases.clock.days', { days: clock.elapsedWorkingDays }),
        },
        {
          key: 'remaining',
          label: t('cases.clock.remaining'),
          children: <ClockTag clock={clock} testId={`${testId}-tag`} />,
        },
      ]}
    />
  );
}

const CLOSED = new Set(['enrolled', 'rejected']);

/** `/cases/:id`: the case, its clocks, the forms of the steps the caller may take, and its timeline. */
export default function CaseDetailPage() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const canOpenLead = useCanOpen('leads-detail');
  const detail = useRequest((signal) => casesApi.get(id, signal), [id]);
  const [acted, setActed] = useState<CaseDetail | null>(null);
  const fetched = detail.data?.id === id ? detail.data : undefined;
  // The answer of an action is newer than the page's first load.
  const c = acted?.id === id && (!fetched || acted.updatedAt >= fetched.updatedAt) ? acted : fetched;

  const onActed: OnActed = (next, action) => {
    setActed(next);
    void message.success(t(`cases.done.${action}`));
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  const buttons = (
    <>
      {/* Someone else may have acted meanwhile (a step form then says so): read the case again. */}
      {c && <ReferButton source="case" sourceId={c.id} />}
      <Button
        icon={<ReloadOutlined />}
        onClick={() => {
          setActed(null);
          detail.reload();
        }}
        loading={detail.loading && !!c}
        data-testid="case-reload"
      >
        {t('cases.reload')}
      </Button>
      <Button
        icon={<ArrowLeftOutlined />}
        onClick={() => (location.key === 'default' ? navigate('/cases') : navigate(-1))}
        data-testid="case-back"
      >
        {t('common.back')}
      </Button>
    </>
  );

  return (
    <>
      {c ? (
        <DetailHeader
          testId="case-header"
          title={`${c.applicantName} · ${c.caseNo}`}
          status={
            <Space size={4} wrap>
              <CaseStatusTag status={c.status} />
              <CaseFlags c={c} />
            </Space>
          }
          facts={[
            { key: 'village', label: t('cases.field.village'), value: c.regionName },
            { key: 'members', label: t('cases.field.members'), value: c.members },
            {
              key: 'kinds',
              label: t('cases.field.kinds'),
              value: c.kinds.length ? c.kinds.map((k) => t(`policy.kind.${k}`)).join(t('common.listSeparator')) : '—',
            },
            ...(CLOSED.has(c.status)
              ? []
              : [{ key: 'due', label: t('cases.field.stepDue'), value: <StepDue clock={c.step} /> }]),
            { key: 'level', label: t('cases.field.approvalLevel'), value: t(`policy.approval.${c.approvalLevel}`) },
            { key: 'created', label: t('cases.field.createdOn'), value: formatDate(c.createdAt) },
          ]}
          extra={buttons}
        />
      ) : (
        <PageHeader title={t('nav.cases.detail')} extra={buttons} />
      )}
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {!c && detail.loading && <Skeleton active paragraph={{ rows: 10 }} />}
      {c && (
        <Flex vertical gap="middle" data-testid="case-detail" data-status={c.status}>
          {c.status === 'enrolled' && (
            <Alert
              type="success"
              showIcon
              title={t('cases.enrolledFrom', { month: c.enrolledFrom ?? '' })}
              data-testid="case-enrolled"
            />
          )}
          {c.status === 'rejected' && (
            <Alert type="error" showIcon title={t('cases.rejectedNotice')} data-testid="case-rejected" />
          )}
          {c.missingDocuments.length > 0 && c.status === 'missing_docs' && (
            <Alert
              type="warning"
              showIcon
              title={t('cases.missingDocuments')}
              description={c.missingDocuments.join(t('common.listSeparator'))}
              data-testid="case-missing-documents"
            />
          )}
          <ActionForms key={`${c.status}-${c.actions.length}`} c={c} onActed={onActed} />
          <Card size="small" data-testid="case-summary">
            <Descriptions
              column={{ xs: 1, sm: 2, lg: 3 }}
              size="small"
              items={[
                {
                  key: 'caseNo',
                  label: t('cases.field.caseNo'),
                  children: <span data-testid="case-no">{c.caseNo}</span>,
                },
                {
                  key: 'status',
                  label: t('cases.field.status'),
                  children: (
                    <Space size={4} wrap>
                      <CaseStatusTag status={c.status} />
                      <CaseFlags c={c} />
                    </Space>
                  ),
                },
                {
                  key: 'level',
                  label: t('cases.field.approvalLevel'),
                  children: <span data-testid="case-approval-level">{t(`policy.approval.${c.approvalLevel}`)}</span>,
                },
                {
                  key: 'channel',
                  label: t('cases.field.channel'),
                  children: <Tag>{t(`cases.channel.${c.channel}`)}</Tag>,
                },
                { key: 'applicant', label: t('cases.field.applicant'), children: c.applicantName },
                {
                  key: 'id',
                  label: t('cases.member.idNumber'),
                  children: <span style={{ fontFamily: 'monospace' }}>{c.idMasked}</span>,
                },
                { key: 'village', label: t('cases.field.village'), children: c.regionName },
                { key: 'address', label: t('cases.field.address'), children: c.addressMasked },
                { key: 'phone', label: t('cases.field.phone'), children: c.phoneMasked },
                { key: 'created', label: t('cases.field.createdAt'), children: formatDateTime(c.createdAt) },
                ...(c.leadId
                  ? [
                      {
                        key: 'lead',
                        label: t('cases.field.lead'),
                        children: canOpenLead ? (
                          <Link to={`/leads/${seg(c.leadId)}`}>{t('cases.field.leadOpen')}</Link>
                        ) : (
                          '✓'
                        ),
                      },
                    ]
                  : []),
                {
                  key: 'reason',
                  label: t('cases.field.reason'),
                  span: 'filled' as const,
                  children: <span style={{ whiteSpace: 'pre-wrap' }}>{c.reason}</span>,
                },
              ]}
            />
          </Card>
          {!CLOSED.has(c.status) && (
            <Card size="small" title={t('cases.clock.title')} data-testid="case-clocks">
              <Typography.Text strong>
                {t('cases.clock.step', { status: t(`cases.status.${c.status}`) })}
              </Typography.Text>
              <ClockView clock={c.step} testId="case-clock-step" />
              {c.overall && (
                <>
                  <Typography.Text strong>{t('cases.clock.overall')}</Typography.Text>
                  <ClockView clock={c.overall} testId="case-clock-overall" />
                </>
              )}
            </Card>
          )}
          <Card size="small" title={t('cases.section.members')}>
            <Table
              rowKey={(m) => `${m.name}-${m.idMasked}`}
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={c.memberList}
              data-testid="case-members"
              columns={[
                { key: 'name', title: t('cases.member.name'), dataIndex: 'name' },
                {
                  key: 'id',
                  title: t('cases.member.idNumber'),
                  render: (_, m) => <span style={{ fontFamily: 'monospace' }}>{m.idMasked}</span>,
                },
                {
                  key: 'relation',
                  title: t('cases.member.relation'),
                  render: (_, m) => {
                    const key = `cases.relation.${m.relation}`;
                    return isMessageKey(key) ? t(key) : m.relation;
                  },
                },
                { key: 'sex', title: t('cases.member.sex'), render: (_, m) => t(`cases.sex.${m.sex}`) },
                { key: 'age', title: t('cases.member.age'), dataIndex: 'age', align: 'right' },
              ]}
            />
          </Card>
          {c.emergencyPayment && (
            <Card size="small" title={t('cases.emergency.title')} data-testid="case-emergency-payment">
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2, lg: 4 }}
                items={[
                  {
                    key: 'amount',
                    label: t('cases.form.amount'),
                    children: t('common.yuan', { amount: formatYuan(c.emergencyPayment.amountFen) }),
                  },
                  { key: 'paid', label: t('cases.emergency.paidOn'), children: c.emergencyPayment.paidOn },
                  { key: 'due', label: t('cases.emergency.paperworkDue'), children: c.emergencyPayment.paperworkDueOn },
                  {
                    key: 'done',
                    label: t('cases.emergency.paperworkDone'),
                    children: t(c.emergencyPayment.paperworkDone ? 'common.yes' : 'common.no'),
                  },
                ]}
              />
            </Card>
          )}
          {c.verification && (
            <Card size="small" title={t('cases.verification.title')}>
              <VerificationView report={c.verification} />
            </Card>
          )}
          {c.determination && (
            <Card size="small" title={t('cases.determination.title')}>
              <DeterminationView
                d={c.determination}
                testId="determination"
                overrideReason={c.determination.overridden ? c.determination.overrideReason : undefined}
              />
            </Card>
          )}
          {c.notice && (
            <Card size="small" title={t('cases.notice.title')} data-testid="case-notice">
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2, lg: 4 }}
                items={[
                  { key: 'published', label: t('cases.notice.publishedOn'), children: c.notice.publishedOn },
                  {
                    key: 'ends',
                    label: t('cases.notice.endsOnLabel'),
                    children: <span data-testid="case-notice-ends">{c.notice.endsOn}</span>,
                  },
                  { key: 'objections', label: t('cases.notice.objections'), children: c.notice.objections },
                  {
                    key: 'status',
                    label: t('cases.field.status'),
                    children: t(`cases.noticeStatus.${c.notice.status}`),
                  },
                ]}
              />
            </Card>
          )}
          <Card size="small" title={t('cases.timeline.title')}>
            <CaseTimeline caseId={c.id} actions={c.actions} />
          </Card>
        </Flex>
      )}
    </>
  );
}
