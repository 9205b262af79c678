import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Flex, Skeleton, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, EyeOutlined } from '@ant-design/icons';
import { Household, REGISTRY_REVEALERS } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useCanOpen } from '../../../app/useCanOpen';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ReferButton } from '../../referrals/ReferButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FlagTags, StatusTag } from '../../../components/registry/tags';
import { MembersTable } from './MembersTable';
import { HistoryTimeline } from './HistoryTimeline';
import { PaymentsSection } from './PaymentsSection';
import { RevealModal, type RevealTarget } from './RevealModal';
import { HouseholdEnrolments } from '../../enrolments/HouseholdEnrolments';

/** Who may see a full personal number (the server checks again): auditors read masked data only. */

export default function HouseholdDetailPage() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const { id = '' } = useParams();
  const canEdit = useCanOpen('households-edit');
  const canTrace = useCanOpen('trace');
  const canReveal = REGISTRY_REVEALERS.includes(useMe().role);
  const detail = useRequest((signal) => api.get(`/api/households/${seg(id)}`, { schema: Household, signal }), [id]);
  const [revealing, setRevealing] = useState<RevealTarget | null>(null);
  const h = detail.data?.id === id ? detail.data : undefined;

  return (
    <>
      <PageHeader
        title={h ? t('households.detail.title', { householdNo: h.householdNo }) : t('nav.households.detail')}
        extra={
          <>
            <Button
              icon={<ArrowLeftOutlined />}
              // Back to the list as it was left (filters, page); to the plain list from a deep link.
              onClick={() => (location.key === 'default' ? navigate('/households') : navigate(-1))}
              data-testid="household-back"
            >
              {t('common.back')}
            </Button>
            {h && <ReferButton source="household" sourceId={h.id} />}
            {canEdit && h && (
              <Button
                type="primary"
                icon={<EditOutlined />}
                onClick={() => navigate(`/households/${seg(h.id)}/edit`)}
                data-testid="household-edit"
              >
                {t('common.edit')}
              </Button>
            )}
            {canTrace && h && (
              <Button onClick={() => navigate(`/trace/household/${seg(h.id)}`)} data-testid="household-trace">
                {t('trace.open')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {!h && detail.loading && <Skeleton active paragraph={{ rows: 8 }} />}
      {h && (
        <Flex vertical gap="middle">
          {h.flags.includes('staff_relative') && (
            <Alert
              type="error"
              showIcon
              title={t('households.staffRelative.alert')}
              description={t('households.staffRelative.alert.desc')}
              data-testid="staff-relative-alert"
            />
          )}
          <Card title={t('households.section.summary')} data-testid="household-summary">
            <Descriptions
              column={{ xs: 1, sm: 2, lg: 3 }}
              size="small"
              items={[
                {
                  key: 'no',
                  label: t('households.field.householdNo'),
                  children: <span data-testid="household-no">{h.householdNo}</span>,
                },
                {
                  key: 'village',
                  label: t('households.field.village'),
                  children: (
                    <span data-testid="household-village">
                      {h.regionName}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {h.regionCode}
                      </Typography.Text>
                    </span>
                  ),
                },
                {
                  key: 'status',
                  label: t('households.field.status'),
                  children: <StatusTag status={h.assistanceStatus} testId="household-status" />,
                },
                {
                  key: 'address',
                  label: t('households.field.address'),
                  span: { xs: 1, sm: 2, lg: 2 },
                  children: (
                    <Flex align="center" wrap gap={0}>
                      <span data-testid="household-address">{h.addressMasked}</span>
                      {canReveal && (
                        <Tooltip title={t('reveal.action.tip')}>
                          <Button
                            type="link"
                            size="small"
                            icon={<EyeOutlined />}
                            onClick={() =>
                              setRevealing({ householdId: h.id, field: 'address', subject: h.householdNo })
                            }
                            data-testid="household-reveal-address"
                          >
                            {t('reveal.action')}
                          </Button>
                        </Tooltip>
                      )}
                    </Flex>
                  ),
                },
                {
                  key: 'flags',
                  label: t('households.field.flags'),
                  children: (
                    <span data-testid="household-flags">
                      <FlagTags flags={h.flags} />
                    </span>
                  ),
                },
                {
                  key: 'members',
                  label: t('households.field.memberCount'),
                  children: <span data-testid="household-member-count">{h.memberCount}</span>,
                },
                { key: 'updatedAt', label: t('households.field.updatedAt'), children: formatDateTime(h.updatedAt) },
                { key: 'version', label: t('households.field.version'), children: h.version },
              ]}
            />
          </Card>
          <Card
            title={t('households.section.members')}
            extra={<Typography.Text type="secondary">{t('households.members.hint')}</Typography.Text>}
            data-testid="household-members"
          >
            <MembersTable
              members={h.members}
              onReveal={
                canReveal
                  ? (m, field) => setRevealing({ householdId: h.id, memberId: m.id, field, subject: m.name })
                  : undefined
              }
            />
          </Card>
          <HouseholdEnrolments householdId={h.id} />
          <Card title={t('households.section.history')} data-testid="household-history">
            <HistoryTimeline history={h.history} members={h.members} />
          </Card>
          <PaymentsSection householdId={h.id} />
        </Flex>
      )}
      <RevealModal target={revealing} onClose={() => setRevealing(null)} />
    </>
  );
}
