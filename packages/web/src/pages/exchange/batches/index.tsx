import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Flex, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, SettingOutlined } from '@ant-design/icons';
import { FEED_MANAGERS, type FeedBatch, type FeedBatchStatus, type FeedChannel } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { errorsCsvUrl, exchangeApi } from '../api';
import { BatchStatusTag, ChannelTag, formatDuration, useLocalName } from '../tags';

const STATUSES: FeedBatchStatus[] = ['loading', 'loaded', 'failed'];
const CHANNELS: FeedChannel[] = ['upload', 'push', 'cli'];

/** Feed batches (数据批次): every file and push, newest first, with counts and the error report. */
export default function FeedBatchesPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const name = useLocalName();
  const [filters, setFilters] = useState<{ source?: string; status?: FeedBatchStatus; channel?: FeedChannel }>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const sources = useRequest((signal) => exchangeApi.sources(signal), []);
  const list = useRequest(
    (signal) => exchangeApi.batches({ ...filters, ...page }, signal),
    [filters.source, filters.status, filters.channel, page.page, page.pageSize],
  );
  const canUpload = FEED_MANAGERS.includes(me.role);

  const columns: TableColumnsType<FeedBatch> = [
    {
      title: t('exchange.field.batchNo'),
      dataIndex: 'batchNo',
      width: 80,
      render: (_, b) => <Link to={`/exchange/batches/${b.id}`}>#{b.batchNo}</Link>,
    },
    {
      title: t('exchange.field.kind'),
      key: 'kind',
      render: (_, b) => (
        <>
          {name(b.kindNameZh, b.kindNameEn)}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {name(b.sourceNameZh, b.sourceNameEn)}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('exchange.field.status'),
      dataIndex: 'status',
      width: 100,
      render: (_, b) => <BatchStatusTag status={b.status} />,
    },
    {
      title: t('exchange.field.counts'),
      key: 'counts',
      width: 230,
      render: (_, b) => (
        <span data-testid={`batch-counts-${b.batchNo}`}>
          {t('exchange.counts', {
            total: b.rowsTotal,
            loaded: b.rowsLoaded,
            rejected: b.rowsRejected,
            duplicate: b.rowsDuplicate,
          })}
        </span>
      ),
    },
    { title: t('exchange.field.duration'), key: 'duration', width: 90, render: (_, b) => formatDuration(b.durationMs) },
    {
      title: t('exchange.field.channel'),
      key: 'channel',
      width: 90,
      render: (_, b) => <ChannelTag channel={b.channel} />,
    },
    { title: t('exchange.field.createdBy'), dataIndex: 'createdBy', width: 140, ellipsis: true },
    {
      title: t('exchange.field.createdAt'),
      key: 'createdAt',
      width: 140,
      render: (_, b) => formatDateTime(b.createdAt),
    },
    {
      title: t('exchange.field.errors'),
      key: 'errors',
      width: 120,
      render: (_, b) =>
        b.rowsRejected > 0 ? (
          <Typography.Link href={errorsCsvUrl(b.id, lang)} download data-testid={`batch-errors-${b.batchNo}`}>
            <DownloadOutlined /> {t('exchange.errors.download')}
          </Typography.Link>
        ) : b.failure ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: b.failure.message }} style={{ maxWidth: 110 }}>
            {b.failure.message}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  const sourceOptions = (sources.data?.items ?? []).map((s) => ({ value: s.code, label: name(s.nameZh, s.nameEn) }));

  return (
    <>
      <PageHeader
        title={t('exchange.batches.title')}
        extra={
          <>
            <Button icon={<SettingOutlined />} onClick={() => navigate('/exchange/sources')}>
              {t('nav.exchange.sources')}
            </Button>
            {canUpload && (
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                onClick={() => navigate('/exchange/upload')}
                data-testid="batches-upload"
              >
                {t('exchange.upload.title')}
              </Button>
            )}
          </>
        }
      />
      <Flex gap="small" wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('exchange.field.source')}
          style={{ width: 200 }}
          options={sourceOptions}
          value={filters.source}
          onChange={(source?: string) => {
            setFilters((f) => ({ ...f, source }));
            setPage((p) => ({ ...p, page: 1 }));
          }}
        />
        <Select
          allowClear
          placeholder={t('exchange.field.status')}
          style={{ width: 140 }}
          options={STATUSES.map((s) => ({ value: s, label: t(`exchange.status.${s}`) }))}
          value={filters.status}
          onChange={(status?: FeedBatchStatus) => {
            setFilters((f) => ({ ...f, status }));
            setPage((p) => ({ ...p, page: 1 }));
          }}
        />
        <Select
          allowClear
          placeholder={t('exchange.field.channel')}
          style={{ width: 140 }}
          options={CHANNELS.map((c) => ({ value: c, label: t(`exchange.channel.${c}`) }))}
          value={filters.channel}
          onChange={(channel?: FeedChannel) => {
            setFilters((f) => ({ ...f, channel }));
            setPage((p) => ({ ...p, page: 1 }));
          }}
        />
      </Flex>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<FeedBatch>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 1200 }}
        onRow={(b) => ({ 'data-testid': `batch-row-${b.batchNo}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, pageSize) => setPage({ page: p, pageSize }),
        }}
      />
    </>
  );
}
