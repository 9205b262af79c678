import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { Link } from 'react-router-dom';
import { Button, Card, Flex, Skeleton, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import type { EnrolmentChange, EnrolmentDetail } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useT } from '../../../i18n';
import { formatDateTime, formatYuan } from '../../../lib/format';
import { DetailHeader } from '../../../components/detail/DetailHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { KindTag } from '../../cases/tags';
import { enrolmentsApi } from '../api';
import { EnrolmentStatusTag } from '../tags';
import { ChangeForms } from './ChangeForms';

/** One enrolment: who is covered, its changes in time order and the amounts month by month. */
export default function EnrolmentDetailPage() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const { id = '' } = useParams();
  const detail = useRequest((signal) => enrolmentsApi.get(id, signal), [id]);
  // The answer to a change is the enrolment after it: shown until a newer read (same or later version).
  const [changed, setChanged] = useState<EnrolmentDetail | null>(null);
  const fetched = detail.data?.id === id ? detail.data : undefined;
  const e = changed && changed.id === id && (!fetched || changed.version > fetched.version) ? changed : fetched;
  const yuan = (fen: number | null) => (fen === null ? '—' : t('common.yuan', { amount: formatYuan(fen) }));

  const changeText = (c: EnrolmentChange) =>
    [
      c.amountFen !== null ? t('enrolments.change.amount', { amount: yuan(c.amountFen) }) : '',
      c.members !== null ? t('enrolments.change.members', { n: c.members }) : '',
      t('enrolments.change.reason', { reason: t(`enrolments.reason.${c.reason}`) }),
      c.note ?? '',
    ]
      .filter(Boolean)
      .join('；');

  return (
    <>
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {!e && detail.loading && <Skeleton active paragraph={{ rows: 8 }} />}
      {e && (
        <Flex vertical gap="middle">
          <DetailHeader
            testId="enrolment-header"
            title={e.name}
            status={
              <>
                <KindTag kind={e.kind} />
                <EnrolmentStatusTag status={e.status} />
              </>
            }
            facts={[
              { key: 'amount', label: t('enrolments.field.amount'), value: yuan(e.monthlyAmountFen) },
              { key: 'members', label: t('enrolments.field.members'), value: e.members },
              { key: 'region', label: t('enrolments.field.region'), value: e.regionName },
              { key: 'fromMonth', label: t('enrolments.field.fromMonth'), value: e.fromMonth },
              ...(e.endsMonth
                ? [{ key: 'endsMonth', label: t('enrolments.field.endsMonth'), value: e.endsMonth }]
                : []),
              { key: 'reviewDueOn', label: t('enrolments.field.reviewDueOn'), value: e.reviewDueOn ?? '—' },
              {
                key: 'household',
                label: t('enrolments.field.householdNo'),
                value:
                  e.householdId && e.householdNo ? (
                    <Link to={`/households/${seg(e.householdId)}`} data-testid="enrolment-household">
                      {e.householdNo}
                    </Link>
                  ) : (
                    '—'
                  ),
              },
            ]}
            extra={
              <>
                <Button icon={<ReloadOutlined />} onClick={detail.reload} data-testid="enrolment-reload">
                  {t('enrolments.reload')}
                </Button>
                <Button
                  icon={<ArrowLeftOutlined />}
                  onClick={() => (location.key === 'default' ? navigate('/enrolments') : navigate(-1))}
                  data-testid="enrolment-back"
                >
                  {t('common.back')}
                </Button>
              </>
            }
          />
          <ChangeForms enrolment={e} onChanged={setChanged} />
          <Card title={t('enrolments.section.members')} size="small" data-testid="enrolment-members">
            <Table
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              rowKey={(m) => `${m.name}-${m.idMasked}`}
              dataSource={e.coveredMembers}
              columns={[
                { title: t('enrolments.member.name'), render: (_, m) => m.name },
                { title: t('enrolments.member.id'), render: (_, m) => m.idMasked },
                {
                  title: t('enrolments.member.covered'),
                  render: (_, m) => (m.covered ? t('common.yes') : t('common.no')),
                },
              ]}
            />
          </Card>
          <Card title={t('enrolments.section.history')} size="small" data-testid="enrolment-history">
            <Timeline
              items={[...e.changes]
                .sort((a, b) => a.seq - b.seq)
                .map((c) => ({
                  key: c.seq,
                  children: (
                    <div data-testid={`enrolment-change-${c.type}`}>
                      <Typography.Text strong>{t(`enrolments.changeType.${c.type}`)}</Typography.Text>{' '}
                      <Tag>{t('enrolments.change.from', { month: c.effectiveMonth })}</Tag>
                      <div>{changeText(c)}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {c.actor} · {formatDateTime(c.at)} · {t(`enrolments.level.${c.approvalLevel}`)}
                      </Typography.Text>
                    </div>
                  ),
                }))}
            />
          </Card>
          <Card title={t('enrolments.section.months')} size="small" data-testid="enrolment-months">
            <Table
              size="small"
              pagination={false}
              scroll={{ x: 'max-content', y: 400 }}
              rowKey={(m) => m.month}
              dataSource={e.months}
              columns={[
                { title: t('enrolments.month.month'), render: (_, m) => m.month },
                { title: t('enrolments.month.state'), render: (_, m) => t(`enrolments.entitlement.${m.state}`) },
                { title: t('enrolments.field.members'), align: 'right', render: (_, m) => m.members },
                { title: t('enrolments.field.amount'), align: 'right', render: (_, m) => yuan(m.amountFen) },
              ]}
            />
          </Card>
        </Flex>
      )}
    </>
  );
}
