import { useState, type HTMLAttributes } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Modal, Popconfirm, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { FEED_MANAGERS, type FeedApiKey, type FeedKind, type FeedSource } from '@jiuzhu/shared';
import { useNotifyError } from '../../../api/errors';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { exchangeApi } from '../api';
import { useLocalName } from '../tags';
import { KindFormModal } from './KindFormModal';

/** Feed sources (来源部门) and their record kinds; city admins add kinds and issue push keys. */
export default function FeedSourcesPage() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const name = useLocalName();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const sources = useRequest((signal) => exchangeApi.sources(signal), []);
  const [adding, setAdding] = useState(false);
  const [issued, setIssued] = useState<FeedApiKey | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const canManage = FEED_MANAGERS.includes(me.role);

  async function issue(code: string) {
    setBusy(code);
    try {
      setIssued(await exchangeApi.issueApiKey(code));
      sources.reload();
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(null);
    }
  }

  async function toggle(kind: FeedKind, active: boolean) {
    setBusy(kind.code);
    try {
      await exchangeApi.updateKind(kind.code, { active });
      void message.success(t(active ? 'exchange.kind.activated' : 'exchange.kind.deactivated'));
      sources.reload();
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(null);
    }
  }

  const kindColumns: TableColumnsType<FeedKind> = [
    {
      title: t('exchange.kind.code'),
      dataIndex: 'code',
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    { title: t('exchange.kind.name'), key: 'name', render: (_, k) => name(k.nameZh, k.nameEn) },
    { title: t('exchange.field.recordType'), dataIndex: 'recordType', width: 130 },
    { title: t('exchange.field.format'), dataIndex: 'format', width: 80, render: (f: string) => f.toUpperCase() },
    {
      title: t('exchange.field.columns'),
      key: 'columns',
      render: (_, k) => (
        <Tooltip
          title={k.columns.map((c) => `${c.name}: ${name(c.labelZh, c.labelEn)}${c.required ? ' *' : ''}`).join('\n')}
          styles={{ root: { whiteSpace: 'pre-line' } }}
        >
          <Typography.Text ellipsis style={{ maxWidth: 320 }}>
            {k.columns.map((c) => c.name).join(', ')}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      title: t('exchange.kind.origin'),
      key: 'builtin',
      width: 90,
      render: (_, k) => <Tag>{t(k.builtin ? 'exchange.kind.builtin' : 'exchange.kind.custom')}</Tag>,
    },
    {
      title: t('exchange.kind.active'),
      key: 'active',
      width: 80,
      render: (_, k) => (
        <Switch
          size="small"
          checked={k.active}
          disabled={!canManage}
          loading={busy === k.code}
          onChange={(v) => void toggle(k, v)}
          data-testid={`kind-active-${k.code}`}
        />
      ),
    },
  ];

  const columns: TableColumnsType<FeedSource> = [
    { title: t('exchange.field.source'), key: 'name', render: (_, s) => name(s.nameZh, s.nameEn) },
    {
      title: t('exchange.source.code'),
      dataIndex: 'code',
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    { title: t('exchange.source.kinds'), key: 'kinds', width: 100, render: (_, s) => s.kinds.length },
    {
      title: t('exchange.source.apiKey'),
      key: 'apiKey',
      width: 220,
      render: (_, s) =>
        s.hasApiKey ? (
          <Tag color="green">{t('exchange.source.keyIssued', { at: formatDateTime(s.apiKeyCreatedAt) })}</Tag>
        ) : (
          <Tag>{t('exchange.source.noKey')}</Tag>
        ),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, s: FeedSource) =>
              s.hasApiKey ? (
                <Popconfirm title={t('exchange.source.reissueConfirm')} onConfirm={() => issue(s.code)}>
                  <Button
                    size="small"
                    icon={<KeyOutlined />}
                    loading={busy === s.code}
                    data-testid={`issue-key-${s.code}`}
                  >
                    {t('exchange.source.reissue')}
                  </Button>
                </Popconfirm>
              ) : (
                <Button
                  size="small"
                  icon={<KeyOutlined />}
                  loading={busy === s.code}
                  onClick={() => void issue(s.code)}
                  data-testid={`issue-key-${s.code}`}
                >
                  {t('exchange.source.issue')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('nav.exchange.sources')}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/exchange/batches')}>
              {t('exchange.backToBatches')}
            </Button>
            {canManage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="kind-add">
                {t('exchange.kind.add')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={sources.error} onRetry={sources.reload} />
      <Table<FeedSource>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={sources.data?.items}
        loading={sources.loading}
        pagination={false}
        onRow={(s) => ({ 'data-testid': `source-row-${s.code}` }) as HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (s) => (
            <Table<FeedKind> rowKey="code" size="small" columns={kindColumns} dataSource={s.kinds} pagination={false} />
          ),
        }}
      />
      {sources.data && (
        <KindFormModal
          sources={sources.data.items}
          open={adding}
          onClose={() => setAdding(false)}
          onCreated={() => {
            setAdding(false);
            void message.success(t('exchange.kind.created'));
            sources.reload();
          }}
        />
      )}
      <Modal
        open={issued !== null}
        title={t('exchange.source.keyTitle')}
        onCancel={() => setIssued(null)}
        footer={
          <Button type="primary" onClick={() => setIssued(null)} data-testid="key-close">
            {t('exchange.source.keySaved')}
          </Button>
        }
        maskClosable={false}
      >
        {issued && (
          <>
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('exchange.source.keyOnce')} />
            <Typography.Paragraph>
              {t('exchange.source.keyId')}:{' '}
              <Typography.Text code copyable data-testid="key-id">
                {issued.keyId}
              </Typography.Text>
            </Typography.Paragraph>
            <Typography.Paragraph>
              {t('exchange.source.secret')}:{' '}
              <Typography.Text code copyable data-testid="key-secret">
                {issued.secret}
              </Typography.Text>
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t('exchange.source.keyHelp')}</Typography.Paragraph>
          </>
        )}
      </Modal>
    </>
  );
}
