import { Empty, Timeline, Typography } from 'antd';
import type { HistoryEntry, Member } from '@jiuzhu/shared';
import { useT, type MessageKey } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { fieldLabel, formatFieldValue } from '../../../components/registry/fieldLabels';

/** Actions the registry writes; any other code is shown as it comes. */
const ACTION_KEYS: Record<string, MessageKey> = {
  create: 'history.action.create',
  update: 'history.action.update',
  import: 'history.action.import',
  member_add: 'history.action.member_add',
  member_update: 'history.action.member_update',
  member_remove: 'history.action.member_remove',
};

/** Who changed what and when, newest first; old and new values come masked from the server. */
export function HistoryTimeline({
  history,
  members,
}: {
  history: readonly HistoryEntry[];
  members: readonly Member[];
}) {
  const t = useT();
  if (history.length === 0) return <Empty description={t('history.empty')} data-testid="history-empty" />;

  const memberName = (id: string | null) => {
    if (!id) return null;
    return members.find((m) => m.id === id)?.name ?? t('history.removedMember');
  };
  // `household.create` and `member.add` are read as `create` and `member_add`.
  const actionKey = (action: string) => ACTION_KEYS[action.replace(/\./g, '_').replace(/^household_/, '')];

  const entries = [...history].sort((a, b) => b.id - a.id);
  return (
    <Timeline
      items={entries.map((h) => {
        const key = actionKey(h.action);
        const who = memberName(h.memberId);
        return {
          key: h.id,
          content: (
            <div data-testid={`history-entry-${h.id}`}>
              <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
                {formatDateTime(h.at)}
              </Typography.Text>
              <Typography.Text strong>{key ? t(key) : h.action}</Typography.Text>
              {who && <Typography.Text> · {who}</Typography.Text>}
              <Typography.Text type="secondary"> · {h.actorUsername}</Typography.Text>
              {h.changes.length > 0 && (
                <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                  {h.changes.map((c, i) => (
                    <li key={`${c.field}-${i}`} data-testid="history-change">
                      {t('history.change', {
                        field: fieldLabel(c.field, t),
                        old: formatFieldValue(c.field, c.old, t),
                        new: formatFieldValue(c.field, c.new, t),
                      })}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ),
        };
      })}
      data-testid="history-timeline"
    />
  );
}
