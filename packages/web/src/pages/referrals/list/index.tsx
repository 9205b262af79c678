import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Form, Input, Modal, Radio, Segmented, Tag, Typography } from 'antd';
import { BarChartOutlined } from '@ant-design/icons';
import {
  AgencyList,
  REFERRAL_RECORDERS,
  REFERRAL_STATUSES,
  ReferralDetail,
  ReferralPage,
  type ReferralStatus,
  type ReferralSummary,
} from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useCanOpen } from '../../../app/useCanOpen';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { formatDate } from '../../../lib/format';

const FILTERS = ['view', 'status', 'agencyId'] as const;
const VIEWS = ['open', 'all'] as const;
type View = (typeof VIEWS)[number];
const COLOR: Record<ReferralStatus, string> = { sent: 'blue', accepted: 'gold', done: 'green', refused: 'default' };
const NEXT: Record<ReferralStatus, readonly ('accepted' | 'done' | 'refused')[]> = {
  sent: ['accepted', 'refused'],
  accepted: ['done', 'refused'],
  done: [],
  refused: [],
};

export function ReferralStatusTag({ status }: { status: ReferralStatus }) {
  const t = useT();
  return <Tag color={COLOR[status]}>{t(`referrals.status.${status}`)}</Tag>;
}

/** The region's referrals (转介): open ones first; staff record what the agency answered. */
export default function ReferralListPage() {
  const t = useT();
  const navigate = useNavigate();
  const me = useMe();
  const canRecord = REFERRAL_RECORDERS.includes(me.role);
  const canStats = useCanOpen('referrals-stats');
  const { params, update } = useListParams(FILTERS);
  const f = params.filters;
  const view: View = f.view === 'all' ? 'all' : 'open';
  const [acting, setActing] = useState<ReferralSummary | null>(null);
  const [version, setVersion] = useState(0);
  const agencies = useRequest((signal) => api.get('/api/referral-agencies', { schema: AgencyList, signal }), []);

  const fields = useMemo<SearchField[]>(
    () => [
      {
        kind: 'select',
        name: 'status',
        label: t('referrals.field.status'),
        options: REFERRAL_STATUSES.map((s) => ({ value: s, label: t(`referrals.status.${s}`) })),
      },
      {
        kind: 'select',
        name: 'agencyId',
        label: t('referrals.field.agency'),
        options: (agencies.data?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
      },
    ],
    [t, agencies.data],
  );

  const columns: ListColumn<ReferralSummary>[] = [
    {
      key: 'referralNo',
      title: t('referrals.field.no'),
      render: (r) => r.referralNo,
      exportValue: (r) => r.referralNo,
    },
    {
      key: 'person',
      title: t('referrals.field.person'),
      render: (r) => <Typography.Text strong>{r.personName}</Typography.Text>,
      exportValue: (r) => r.personName,
    },
    {
      key: 'region',
      title: t('referrals.field.village'),
      hideOnPhone: true,
      render: (r) => r.regionName,
      exportValue: (r) => r.regionName,
    },
    {
      key: 'agency',
      title: t('referrals.field.agency'),
      render: (r) => r.agencyName,
      exportValue: (r) => r.agencyName,
    },
    {
      key: 'source',
      title: t('referrals.field.source'),
      hideOnPhone: true,
      render: (r) => t(`referrals.source.${r.source}`),
      exportValue: (r) => t(`referrals.source.${r.source}`),
    },
    {
      key: 'sentAt',
      title: t('referrals.field.sentAt'),
      hideOnPhone: true,
      render: (r) => formatDate(r.sentAt),
      exportValue: (r) => formatDate(r.sentAt),
    },
    {
      key: 'status',
      title: t('referrals.field.status'),
      render: (r) => <ReferralStatusTag status={r.status} />,
      exportValue: (r) => t(`referrals.status.${r.status}`),
    },
    ...(canRecord
      ? [
          {
            key: 'act',
            title: t('referrals.field.act'),
            render: (r: ReferralSummary) =>
              NEXT[r.status].length > 0 ? (
                <Button size="small" onClick={() => setActing(r)} data-testid={`referral-act-${r.referralNo}`}>
                  {t('referrals.act')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('referrals.title')}
        extra={
          canStats && (
            <Button icon={<BarChartOutlined />} onClick={() => navigate('/referrals/stats')}>
              {t('nav.referrals.stats')}
            </Button>
          )
        }
      />
      <ListPage<ReferralSummary>
        id="referrals"
        fields={fields}
        columns={columns}
        params={params}
        update={(next) =>
          update(next.filters ? { ...next, filters: { ...next.filters, ...(f.view ? { view: f.view } : {}) } } : next)
        }
        load={(p, signal) => {
          const { view: _view, ...filters } = p.filters;
          return api.get('/api/referrals', {
            query: {
              ...filters,
              ...(view === 'open' && !filters.status ? { open: 'true' } : {}),
              page: p.page,
              pageSize: p.pageSize,
            },
            schema: ReferralPage,
            signal,
          });
        }}
        deps={[view, version]}
        rowKey={(r) => r.id}
        rowTestId={(r) => `referral-row-${r.referralNo}`}
        exportName={t('referrals.export.name')}
        emptyText={t('referrals.empty')}
        toolbar={
          <Segmented<View>
            value={view}
            onChange={(v) => update({ filters: { ...f, view: v === 'open' ? '' : v } })}
            options={VIEWS.map((v) => ({ value: v, label: t(`referrals.view.${v}`) }))}
            data-testid="referrals-view"
          />
        }
      />
      {acting && (
        <ActionModal
          referral={acting}
          onClose={(changed) => {
            setActing(null);
            if (changed) setVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}

/** Records the agency's answer; the dialog's OK is the confirmation. */
function ActionModal({ referral, onClose }: { referral: ReferralSummary; onClose: (changed: boolean) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ action: 'accepted' | 'done' | 'refused'; outcome?: string }>();
  const { run, submitting, error } = useFormSubmit(form, ['action', 'outcome']);
  const detail = useRequest(
    (signal) => api.get(`/api/referrals/${seg(referral.id)}`, { schema: ReferralDetail, signal }),
    [referral.id],
  );
  const action = Form.useWatch('action', form);
  return (
    <Modal
      open
      title={t('referrals.act.title', { no: referral.referralNo })}
      okText={t('referrals.act.ok')}
      confirmLoading={submitting}
      onCancel={() => onClose(false)}
      onOk={() =>
        void form.validateFields().then((values) =>
          run(async () => {
            await api.post(`/api/referrals/${seg(referral.id)}/actions`, { body: values, schema: ReferralDetail });
            void message.success(t('referrals.act.saved'));
            onClose(true);
          }),
        )
      }
      okButtonProps={{ 'data-testid': 'referral-act-ok' } as Record<`data-${string}`, string>}
    >
      <p>
        {referral.personName} → {referral.agencyName}
      </p>
      {detail.data && (
        <Typography.Paragraph type="secondary" data-testid="referral-request">
          {t('referrals.field.request')}：{detail.data.request}
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ action: NEXT[referral.status][0] }}>
        <Form.Item name="action" label={t('referrals.act.action')} rules={[{ required: true }]}>
          <Radio.Group data-testid="referral-act-action">
            {NEXT[referral.status].map((a) => (
              <Radio key={a} value={a} data-testid={`referral-act-${a}`}>
                {t(`referrals.status.${a}`)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="outcome"
          label={t('referrals.act.outcome')}
          rules={[{ required: action !== 'accepted', message: t('referrals.act.outcomeRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} data-testid="referral-act-outcome" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
