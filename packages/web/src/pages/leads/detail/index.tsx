import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Empty, Flex, Image, List, Skeleton, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, EnvironmentOutlined, FormOutlined } from '@ant-design/icons';
import { LEAD_WORKERS, LeadDetail, type CaseStatus, type LeadVisit } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useCanOpen } from '../../../app/useCanOpen';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ReferButton } from '../../referrals/ReferButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LeadTags } from '../tags';
import { RecordFields } from '../../../components/RecordFields';
import { CaseStatusTag } from '../../cases/tags';
import { VisitForm } from './VisitForm';

function VisitHistory({ lead }: { lead: LeadDetail }) {
  const t = useT();
  if (lead.visits.length === 0) return <Empty description={t('leads.visits.empty')} />;
  return (
    <Timeline
      data-testid="lead-visits"
      items={lead.visits.map((v: LeadVisit, i) => ({
        key: v.id,
        color: v.outcome === 'unreachable' ? 'gray' : 'green',
        content: (
          <div data-testid={`lead-visit-${i}`}>
            <Flex wrap gap={8} align="center">
              <Typography.Text strong>{formatDateTime(v.visitedAt)}</Typography.Text>
              <Tag data-testid="lead-visit-outcome">{t(`leads.outcome.${v.outcome}`)}</Tag>
              {v.referralAgency && (
                <Tag color="blue">{v.referralNote ? v.referralNote : t(`leads.agency.${v.referralAgency}`)}</Tag>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('leads.visits.by', { user: v.recordedBy })}
              </Typography.Text>
            </Flex>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>{v.notes}</Typography.Paragraph>
            {v.location && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="lead-visit-location">
                <EnvironmentOutlined />{' '}
                {t('leads.visit.locationValue', {
                  lat: v.location.latitude.toFixed(6),
                  lng: v.location.longitude.toFixed(6),
                  acc: Math.round(v.location.accuracy),
                })}
              </Typography.Text>
            )}
            {v.photoCount > 0 && (
              <Flex wrap gap={8} style={{ marginTop: 6 }}>
                <Image.PreviewGroup>
                  {Array.from({ length: v.photoCount }, (_, n) => (
                    <Image
                      key={n}
                      width={72}
                      height={72}
                      style={{ objectFit: 'cover', borderRadius: 6 }}
                      alt={t('leads.visits.photo', { n: n + 1 })}
                      src={`/api/leads/${seg(lead.id)}/visits/${seg(v.id)}/photos/${n + 1}`}
                      data-testid={`lead-visit-photo-${n + 1}`}
                    />
                  ))}
                </Image.PreviewGroup>
              </Flex>
            )}
            {v.photos.map((p) =>
              p.takenAt || p.latitude !== null ? (
                <div key={p.n}>
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12 }}
                    data-testid={`lead-visit-photo-meta-${p.n}`}
                  >
                    {t('leads.visits.photoMeta', {
                      n: p.n,
                      at: p.takenAt ? formatDateTime(p.takenAt) : t('leads.visits.photoNoTime'),
                      place:
                        p.latitude !== null && p.longitude !== null
                          ? t('leads.visits.photoPlace', { lat: p.latitude.toFixed(5), lng: p.longitude.toFixed(5) })
                          : t('leads.visits.photoNoPlace'),
                    })}
                  </Typography.Text>
                </div>
              ) : null,
            )}
          </div>
        ),
      }))}
    />
  );
}

export default function LeadDetailPage() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const { id = '' } = useParams();
  const canWork = LEAD_WORKERS.includes(useMe().role);
  const canOpenHousehold = useCanOpen('households-detail');
  const canApply = useCanOpen('cases-new');
  const canOpenCase = useCanOpen('cases-detail');
  const detail = useRequest((signal) => api.get(`/api/leads/${seg(id)}`, { schema: LeadDetail, signal }), [id]);
  const [saved, setSaved] = useState<LeadDetail | null>(null);
  const fetched = detail.data?.id === id ? detail.data : undefined;
  // The answer of a saved visit is newer than the page's first load.
  const lead = saved?.id === id ? saved : fetched;

  return (
    <>
      <PageHeader
        title={lead ? `${lead.personName} · ${t('leads.field.leadNo')} ${lead.leadNo}` : t('nav.leads.detail')}
        extra={
          <>
            {lead?.status === 'open' && canApply && !lead.application && (
              <Button
                type="primary"
                icon={<FormOutlined />}
                onClick={() => navigate(`/cases/new?lead=${seg(lead.id)}`)}
                data-testid="lead-help-apply"
              >
                {t('cases.new.fromLeadButton')}
              </Button>
            )}
            {lead && <ReferButton source="lead" sourceId={lead.id} />}
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => (location.key === 'default' ? navigate('/leads') : navigate(-1))}
              data-testid="lead-back"
            >
              {t('common.back')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {!lead && detail.loading && <Skeleton active paragraph={{ rows: 8 }} />}
      {lead && (
        <Flex vertical gap="middle">
          {lead.status === 'closed' && (
            <Alert
              type="success"
              showIcon
              title={t('leads.closedNotice', { outcome: lead.outcome ? t(`leads.outcome.${lead.outcome}`) : '' })}
              description={`${formatDateTime(lead.closedAt)} · ${lead.closedBy ?? ''}`}
              data-testid="lead-closed"
            />
          )}
          {lead.application && (
            <Card size="small" title={t('leads.application.title')} data-testid="lead-application">
              <Descriptions
                column={{ xs: 1, sm: 2 }}
                size="small"
                items={[
                  {
                    key: 'no',
                    label: t('leads.application.caseNo'),
                    children: canOpenCase ? (
                      <Link to={`/cases/${seg(lead.application.caseId)}`} data-testid="lead-application-link">
                        {lead.application.caseNo}
                      </Link>
                    ) : (
                      lead.application.caseNo
                    ),
                  },
                  {
                    key: 'status',
                    label: t('leads.application.status'),
                    children: (
                      <span data-testid="lead-application-status">
                        <CaseStatusTag status={lead.application.status as CaseStatus} />
                      </span>
                    ),
                  },
                ]}
              />
              {lead.status === 'open' && (
                <Typography.Text type="secondary">{t('leads.application.openHint')}</Typography.Text>
              )}
            </Card>
          )}
          <Card data-testid="lead-summary">
            <Descriptions
              column={{ xs: 1, sm: 2, lg: 3 }}
              size="small"
              items={[
                { key: 'name', label: t('leads.field.person'), children: lead.personName },
                {
                  key: 'id',
                  label: t('leads.field.idNumber'),
                  children: <span style={{ fontFamily: 'monospace' }}>{lead.idMasked}</span>,
                },
                { key: 'village', label: t('leads.field.village'), children: lead.regionName },
                {
                  key: 'household',
                  label: t('leads.field.household'),
                  children:
                    lead.householdId && lead.householdNo ? (
                      canOpenHousehold ? (
                        <Link to={`/households/${seg(lead.householdId)}`} data-testid="lead-household">
                          {lead.householdNo}
                        </Link>
                      ) : (
                        lead.householdNo
                      )
                    ) : (
                      '—'
                    ),
                },
                { key: 'address', label: t('leads.field.address'), children: lead.addressMasked ?? '—' },
                { key: 'reason', label: t('leads.field.reason'), children: lead.reason },
                { key: 'issued', label: t('leads.field.issuedOn'), children: lead.issuedOn },
                {
                  key: 'due',
                  label: t('leads.field.dueDate'),
                  children: (
                    <Flex wrap gap={6} align="center">
                      <span data-testid="lead-due-date">{lead.dueDate}</span>
                      <LeadTags lead={lead} />
                    </Flex>
                  ),
                },
                {
                  key: 'status',
                  label: t('leads.field.status'),
                  children: (
                    <span data-testid="lead-status">
                      {t(`leads.status.${lead.status}`)}
                      {lead.attempts > 0 && ` · ${t('leads.field.attempts')} ${lead.attempts}`}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
          <Card title={t('leads.source.title')} size="small" data-testid="lead-sources">
            <List
              size="small"
              dataSource={lead.sourceRecords}
              locale={{ emptyText: t('leads.source.empty') }}
              renderItem={(r) => (
                <List.Item>
                  <div>
                    <Typography.Text strong>{r.kindName}</Typography.Text>{' '}
                    <Typography.Text type="secondary">{r.eventDate}</Typography.Text>
                    <div>
                      <Typography.Text style={{ fontSize: 12 }}>
                        <RecordFields data={r.data} fields={r.fields} />
                      </Typography.Text>
                    </div>
                  </div>
                </List.Item>
              )}
            />
          </Card>
          {lead.status === 'open' && canWork && <VisitForm leadId={lead.id} onSaved={setSaved} />}
          <Card title={t('leads.visits.title')}>
            <VisitHistory lead={lead} />
          </Card>
        </Flex>
      )}
    </>
  );
}
