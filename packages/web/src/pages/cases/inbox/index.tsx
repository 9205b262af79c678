import type { HTMLAttributes } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Flex, Segmented, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { CASE_COUNTY, CASE_STATUSES, CASE_TOWNSHIP, type CaseStatus, type CaseSummary } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useCanOpen } from '../../../app/useCanOpen';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { casesApi } from '../api';
import { CaseFlags, CaseStatusTag, StepDue } from '../tags';

const VIEWS = ['inbox', 'all', 'overdue'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 20;

const QUERY: Record<View, { inbox?: 'true'; overdue?: 'true' }> = {
  inbox: { inbox: 'true' },
  all: {},
  overdue: { overdue: 'true' },
};

/** The case inbox: cases waiting on me, all cases of my region, overdue ones; state lives in the URL. */
export default function CaseInboxPage() {
  const t = useT();
  const navigate = useNavigate();
  const canCreate = useCanOpen('cases-new');
  const role = useMe().role;
  // Only township and county staff act on steps; the others (grid workers, the city, auditors) start with all cases.
  const defaultView: View = [...CASE_TOWNSHIP, ...CASE_COUNTY].includes(role) ? 'inbox' : 'all';
  const [params, setParams] = useSearchParams();
  const view: View = (VIEWS as readonly string[]).includes(params.get('view') ?? '')
    ? (params.get('view') as View)
    : defaultView;
  const status = (CASE_STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as CaseStatus)
    : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useRequest(
    (signal) => casesApi.list({ ...QUERY[view], status, page, pageSize: PAGE_SIZE }, signal),
    [view, status, page],
  );

  const go = (next: { view?: View; status?: CaseStatus | null; page?: number }) => {
    const search = new URLSearchParams();
    const v = next.view ?? view;
    if (v !== defaultView) search.set('view', v);
    const s = next.status === undefined ? status : next.status;
    if (s) search.set('status', s);
    const p = next.page ?? 1;
    if (p !== 1) search.set('page', String(p));
    setParams(search, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('cases.title')}
        extra={
          canCreate && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/cases/new')}
              data-testid="case-create"
            >
              {t('cases.new.title')}
            </Button>
          )
        }
      />
      <Flex wrap gap={12} align="center" style={{ marginBottom: 12 }}>
        <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
          <Segmented<View>
            value={view}
            onChange={(v) => go({ view: v })}
            options={VIEWS.map((v) => ({ value: v, label: t(`cases.view.${v}`) }))}
            data-testid="cases-view"
          />
        </div>
        <Select<CaseStatus>
          allowClear
          value={status}
          placeholder={t('cases.filter.status')}
          style={{ minWidth: 160 }}
          onChange={(s) => go({ status: s ?? null })}
          options={CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.status.${s}`) }))}
          data-testid="cases-status-filter"
        />
      </Flex>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<CaseSummary>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t(view === 'inbox' ? 'cases.empty.inbox' : 'cases.empty') }}
        onRow={(c) => ({ 'data-testid': `case-row-${c.caseNo}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          hideOnSinglePage: true,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p) => go({ page: p }),
        }}
        columns={[
          {
            key: 'caseNo',
            title: t('cases.field.caseNo'),
            render: (_, c) => (
              <Link to={`/cases/${seg(c.id)}`} data-testid="case-link">
                {c.caseNo}
              </Link>
            ),
          },
          {
            key: 'applicant',
            title: t('cases.field.applicant'),
            render: (_, c) => (
              <div>
                <Typography.Text strong>{c.applicantName}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
                    {c.idMasked}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { key: 'members', title: t('cases.field.members'), dataIndex: 'members', align: 'right' },
          { key: 'village', title: t('cases.field.village'), dataIndex: 'regionName' },
          { key: 'status', title: t('cases.field.status'), render: (_, c) => <CaseStatusTag status={c.status} /> },
          {
            key: 'due',
            title: t('cases.field.stepDue'),
            render: (_, c) => (c.status === 'enrolled' || c.status === 'rejected' ? '—' : <StepDue clock={c.step} />),
          },
          {
            key: 'flags',
            title: t('cases.field.flags'),
            render: (_, c) => (
              <Space size={4} wrap>
                <CaseFlags c={c} />
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
