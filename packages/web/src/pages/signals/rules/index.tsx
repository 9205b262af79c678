import { useState, type HTMLAttributes } from 'react';
import { App, Button, Modal, Switch, Table, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { HistoryOutlined, SyncOutlined } from '@ant-design/icons';
import { FEED_MANAGERS, type CollisionRule } from '@jiuzhu/shared';
import { useNotifyError } from '../../../api/errors';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { exchangeApi } from '../../exchange/api';
import { collisionApi } from '../api';
import { OutcomeTag } from '../tags';
import { RuleEditModal } from './RuleEditModal';
import { RuleSummary } from './RuleSummary';
import { recordTypeNames } from './ruleForm';

/** Collision rules (比对规则): data, versioned; a city admin edits, switches and re-runs them. */
export default function RulesPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const rules = useRequest((signal) => collisionApi.rules(signal), []);
  // The feed catalogue names the record kinds and their fields on this page.
  const catalogue = useRequest((signal) => exchangeApi.sources(signal), []);
  const [editing, setEditing] = useState<CollisionRule | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const history = useRequest(
    (signal) => (historyOf ? collisionApi.rule(historyOf, signal) : Promise.resolve(undefined)),
    [historyOf],
  );
  const canManage = FEED_MANAGERS.includes(me.role);

  async function toggle(rule: CollisionRule, active: boolean) {
    setBusy(rule.id);
    try {
      await collisionApi.setActive(rule.id, active);
      rules.reload();
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(null);
    }
  }

  async function rerun() {
    try {
      await collisionApi.rerunAll();
      void message.success(t('signals.rules.rerunQueued'));
    } catch (e) {
      notifyError(e);
    }
  }

  const columns: TableColumnsType<CollisionRule> = [
    {
      title: t('signals.rules.code'),
      dataIndex: 'code',
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    { title: t('signals.rules.name'), key: 'name', render: (_, r) => (lang === 'en-US' ? r.nameEn : r.nameZh) },
    {
      title: t('signals.rules.recordTypes'),
      key: 'recordTypes',
      render: (_, r) => recordTypeNames(catalogue.data?.items ?? [], r.definition.recordTypes, lang).join('、'),
    },
    {
      title: t('signals.rules.subject'),
      key: 'subject',
      width: 130,
      render: (_, r) => t(`signals.subject.${r.definition.subject}`),
    },
    {
      title: t('signals.field.outcome'),
      key: 'outcomes',
      render: (_, r) => r.definition.outcomes.map((o) => <OutcomeTag key={o} outcome={o} />),
    },
    { title: t('signals.rules.version'), dataIndex: 'currentVersion', width: 80, render: (v: number) => `v${v}` },
    {
      title: t('signals.rules.active'),
      key: 'active',
      width: 80,
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.active}
          disabled={!canManage}
          loading={busy === r.id}
          onChange={(v) => void toggle(r, v)}
          data-testid={`rule-active-${r.code}`}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_, r) => (
        <>
          {canManage && (
            <Button size="small" type="link" onClick={() => setEditing(r)} data-testid={`rule-edit-${r.code}`}>
              {t('common.edit')}
            </Button>
          )}
          <Button size="small" type="link" icon={<HistoryOutlined />} onClick={() => setHistoryOf(r.id)}>
            {t('signals.rules.history')}
          </Button>
        </>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('signals.rules.title')}
        extra={
          canManage ? (
            <Button icon={<SyncOutlined />} onClick={() => void rerun()} data-testid="rules-rerun">
              {t('signals.rules.rerun')}
            </Button>
          ) : undefined
        }
      />
      <ErrorAlert error={rules.error} onRetry={rules.reload} />
      <ErrorAlert error={catalogue.error} onRetry={catalogue.reload} />
      <Table<CollisionRule>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rules.data?.items}
        loading={rules.loading}
        pagination={false}
        scroll={{ x: 1000 }}
        onRow={(r) => ({ 'data-testid': `rule-row-${r.code}` }) as HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (r) => <RuleSummary definition={r.definition} sources={catalogue.data?.items} />,
        }}
      />
      <RuleEditModal
        rule={editing}
        sources={catalogue.data?.items}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void message.success(t('signals.rules.saved'));
          rules.reload();
        }}
      />
      <Modal
        open={historyOf !== null}
        width={760}
        title={t('signals.rules.historyTitle', { code: history.data?.code ?? '' })}
        onCancel={() => setHistoryOf(null)}
        footer={null}
      >
        <ErrorAlert error={history.error} onRetry={history.reload} />
        {history.data && (
          <Timeline
            items={[...history.data.versions]
              .sort((a, b) => b.version - a.version)
              .map((v) => ({
                key: v.version,
                content: (
                  <>
                    <Typography.Text strong>v{v.version}</Typography.Text>{' '}
                    {v.version === history.data!.currentVersion && (
                      <Tag color="green">{t('signals.rules.current')}</Tag>
                    )}
                    <Typography.Text type="secondary">
                      {' '}
                      {formatDateTime(v.createdAt)} · {v.createdBy}
                    </Typography.Text>
                    {v.note && <Typography.Paragraph style={{ margin: '4px 0' }}>{v.note}</Typography.Paragraph>}
                    <RuleSummary definition={v.definition} sources={catalogue.data?.items} />
                  </>
                ),
              }))}
          />
        )}
      </Modal>
    </>
  );
}
