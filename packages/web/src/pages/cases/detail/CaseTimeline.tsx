import { Flex, Image, Tag, Timeline, Typography } from 'antd';
import type { CaseAction } from '@jiuzhu/shared';
import { useT, type Translate } from '../../../i18n';
import { formatDateTime, formatYuan } from '../../../lib/format';
import { isMessageKey } from '../calc';
import { casesApi } from '../api';

/** Fields of an action's data not shown as "label: value" (photos render as images). */
const HIDDEN = new Set(['photoCount', 'photos']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One value of an action's content in words: fen as yuan, kinds by name, lists joined. */
function formatDataValue(name: string, v: unknown, t: Translate): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'number') return name.endsWith('Fen') ? t('common.yuan', { amount: formatYuan(v) }) : String(v);
  if (typeof v === 'string') {
    const key =
      name === 'kind' || name === 'kinds'
        ? `policy.kind.${v}`
        : name === 'channel'
          ? `cases.channel.${v}`
          : name === 'approvalLevel'
            ? `policy.approval.${v}`
            : '';
    return key && isMessageKey(key) ? t(key) : v;
  }
  if (Array.isArray(v)) {
    const parts = v.map((item) => {
      if (isRecord(item) && typeof item.kind === 'string') {
        const key = `policy.kind.${item.kind}`;
        const kind = isMessageKey(key) ? t(key) : item.kind;
        return typeof item.monthlyAmountFen === 'number'
          ? `${kind} ${t('cases.amount.monthly', { amount: formatYuan(item.monthlyAmountFen) })}`
          : kind;
      }
      return isRecord(item) ? null : formatDataValue(name, item, t);
    });
    const shown = parts.filter((p): p is string => !!p);
    return shown.length > 0 ? shown.join(t('common.listSeparator')) : null;
  }
  if (isRecord(v) && typeof v.latitude === 'number' && typeof v.longitude === 'number')
    return t('leads.visit.locationValue', {
      lat: v.latitude.toFixed(6),
      lng: v.longitude.toFixed(6),
      acc: Math.round(typeof v.accuracy === 'number' ? v.accuracy : 0),
    });
  return null;
}

function DataLines({ data, t }: { data: Record<string, unknown>; t: Translate }) {
  const lines = Object.entries(data)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => {
      // A field without a label is machine data (ids, internal flags): never put a raw key or id on screen.
      const key = `cases.data.${k}`;
      if (!isMessageKey(key)) return null;
      if (k === 'leadId') return v ? { k, label: t(key), value: t('cases.data.leadId.value') } : null;
      const value = formatDataValue(k, v, t);
      if (value === null || UUID.test(value)) return null;
      return { k, label: t(key), value };
    })
    .filter((l): l is { k: string; label: string; value: string } => l !== null);
  if (lines.length === 0) return null;
  return (
    <div style={{ margin: '4px 0' }}>
      {lines.map((l) => (
        <div key={l.k} data-testid={`action-data-${l.k}`}>
          <Typography.Text type="secondary">{l.label}：</Typography.Text>
          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{l.value}</Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** The case's history: every action, who, when, the step's due date and whether it was met. */
export function CaseTimeline({ caseId, actions }: { caseId: string; actions: readonly CaseAction[] }) {
  const t = useT();
  return (
    <Timeline
      data-testid="case-timeline"
      items={actions.map((a) => {
        // The survey stores how many photos it has (`photos`).
        const count = a.data.photoCount ?? a.data.photos;
        const photoCount = typeof count === 'number' ? count : 0;
        const roleKey = a.actorRole ? `role.${a.actorRole}` : '';
        return {
          key: a.seq,
          color: a.onTime === false ? 'red' : a.action === 'reject' ? 'gray' : 'blue',
          content: (
            <div data-testid={`case-action-${a.seq}`} data-action={a.action}>
              <Flex wrap gap={8} align="center">
                <Typography.Text strong data-testid="case-action-name">
                  {t(`cases.action.${a.action}`)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(a.at)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="case-action-actor">
                  {a.actor}
                  {roleKey && isMessageKey(roleKey) ? `（${t(roleKey)}）` : ''}
                </Typography.Text>
                {a.stepDueOn && (
                  <Tag color={a.onTime === false ? 'red' : 'green'} data-testid="case-action-due">
                    {t(a.onTime === false ? 'cases.timeline.missed' : 'cases.timeline.met', { due: a.stepDueOn })}
                  </Tag>
                )}
              </Flex>
              <DataLines data={a.data} t={t} />
              {photoCount > 0 && (
                <Flex wrap gap={8} style={{ marginTop: 6 }}>
                  <Image.PreviewGroup>
                    {Array.from({ length: photoCount }, (_, n) => (
                      <Image
                        key={n}
                        width={72}
                        height={72}
                        style={{ objectFit: 'cover', borderRadius: 6 }}
                        alt={t('leads.visits.photo', { n: n + 1 })}
                        src={casesApi.photoUrl(caseId, a.seq, n + 1)}
                        data-testid={`case-action-photo-${a.seq}-${n + 1}`}
                      />
                    ))}
                  </Image.PreviewGroup>
                </Flex>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
