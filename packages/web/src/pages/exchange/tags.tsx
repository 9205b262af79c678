import { Tag } from 'antd';
import type { FeedBatchStatus, FeedChannel } from '@jiuzhu/shared';
import { useI18n } from '../../i18n';

const STATUS_COLOR: Record<FeedBatchStatus, string> = { loading: 'processing', loaded: 'success', failed: 'error' };

export function BatchStatusTag({ status }: { status: FeedBatchStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={`batch-status-${status}`}>
      {t(`exchange.status.${status}`)}
    </Tag>
  );
}

export function ChannelTag({ channel }: { channel: FeedChannel }) {
  const { t } = useI18n();
  return <Tag>{t(`exchange.channel.${channel}`)}</Tag>;
}

/** A name pair from the API in the page's language. */
export function useLocalName() {
  const { lang } = useI18n();
  return (zh: string, en: string) => (lang === 'en-US' ? en : zh);
}

/** Milliseconds as seconds with one decimal (imports take from a fraction of a second to minutes). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
