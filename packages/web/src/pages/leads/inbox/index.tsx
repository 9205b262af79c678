import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Empty, Flex, Grid, List, Segmented, Typography } from 'antd';
import { BarChartOutlined, RightOutlined } from '@ant-design/icons';
import { LeadPage, regionLevelOf, type LeadSummary } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useCanOpen } from '../../../app/useCanOpen';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LeadTags } from '../tags';
import { LeadDeskList } from './DeskList';

const VIEWS = ['open', 'overdue', 'escalated', 'closed', 'all'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 20;

const QUERY: Record<View, Record<string, string>> = {
  open: { status: 'open' },
  overdue: { overdue: 'true' },
  escalated: { escalated: 'true' },
  closed: { status: 'closed' },
  all: {},
};

/**
 * Leads: city, county and township staff at a desk get the list pattern (filters, count, export);
 * the grid worker (and anyone on a phone) gets the inbox of cards.
 */
export default function LeadsPage() {
  const t = useT();
  const navigate = useNavigate();
  const me = useMe();
  const canStats = useCanOpen('leads-stats');
  const screens = Grid.useBreakpoint();
  const level = regionLevelOf(me.regionCode);
  const desk = (level === 'city' || level === 'county' || level === 'township') && screens.md !== false;
  const header = (
    <PageHeader
      title={t('leads.title')}
      extra={
        canStats && (
          <Button icon={<BarChartOutlined />} onClick={() => navigate('/leads/stats')} data-testid="leads-stats">
            {t('leads.openStats')}
          </Button>
        )
      }
    />
  );
  return (
    <>
      {header}
      {desk ? <LeadDeskList /> : <LeadInbox />}
    </>
  );
}

/** The grid worker's inbox: cards that read well on a phone; the view and page live in the URL. */
function LeadInbox() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const view: View = (VIEWS as readonly string[]).includes(params.get('view') ?? '')
    ? (params.get('view') as View)
    : 'open';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useRequest(
    (signal) =>
      api.get('/api/leads', { query: { ...QUERY[view], page, pageSize: PAGE_SIZE }, schema: LeadPage, signal }),
    [view, page],
  );
  const go = (next: { view?: View; page?: number }) => {
    const search = new URLSearchParams();
    const v = next.view ?? view;
    if (v !== 'open') search.set('view', v);
    const p = next.page ?? 1;
    if (p !== 1) search.set('page', String(p));
    setParams(search, { replace: true });
  };

  return (
    <>
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented<View>
          value={view}
          onChange={(v) => go({ view: v })}
          options={VIEWS.map((v) => ({ value: v, label: t(`leads.view.${v}`) }))}
          data-testid="leads-view"
        />
      </div>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <List<LeadSummary>
        dataSource={list.data?.items}
        loading={list.loading}
        locale={{ emptyText: <Empty description={t('leads.empty')} /> }}
        pagination={
          (list.data?.total ?? 0) > PAGE_SIZE
            ? {
                current: page,
                pageSize: PAGE_SIZE,
                total: list.data?.total ?? 0,
                size: 'small',
                showTotal: (total) => t('common.total', { total }),
                onChange: (p) => go({ page: p }),
              }
            : false
        }
        data-testid="leads-list"
        renderItem={(lead) => (
          <List.Item style={{ padding: '6px 0', borderBlockEnd: 'none' }}>
            <Link to={`/leads/${seg(lead.id)}`} style={{ display: 'block', width: '100%' }}>
              <Card size="small" hoverable data-testid={`lead-card-${lead.leadNo}`}>
                <Flex justify="space-between" align="center" gap={8}>
                  <div style={{ minWidth: 0 }}>
                    <Typography.Text strong style={{ fontSize: 16 }} data-testid="lead-card-name">
                      {lead.personName}
                    </Typography.Text>{' '}
                    <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
                      {lead.idMasked}
                    </Typography.Text>
                    <div>
                      <Typography.Text type="secondary">{lead.regionName}</Typography.Text>
                    </div>
                    <div>
                      <Typography.Text ellipsis>{lead.reason}</Typography.Text>
                    </div>
                    <Flex wrap gap={4} align="center" style={{ marginTop: 4 }}>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('leads.field.dueDate')} {lead.dueDate}
                      </Typography.Text>
                      <LeadTags lead={lead} />
                    </Flex>
                  </div>
                  <RightOutlined style={{ color: '#bbb' }} />
                </Flex>
              </Card>
            </Link>
          </List.Item>
        )}
      />
    </>
  );
}
