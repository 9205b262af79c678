import { Space, Tag } from 'antd';
import type { ClaimStatus, ClaimSummary, DocumentKind } from '@jiuzhu/shared';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { formatDate } from '../../lib/format';

export const CLAIM_STATUSES: readonly ClaimStatus[] = ['reported', 'guided', 'received', 'approved', 'refused', 'paid'];
export const STANDARD_ITEMS = ['death_illness', 'death_accident', 'disability_accident'] as const;

const STATUS_COLOR: Record<ClaimStatus, string> = {
  reported: 'default',
  guided: 'blue',
  received: 'geekblue',
  approved: 'cyan',
  refused: 'red',
  paid: 'green',
};

/** A cover item by its name: the standard items translated, a city's own by the scheme's name. */
export function coverItemName(t: Translate, code: string, schemeName?: string): string {
  if ((STANDARD_ITEMS as readonly string[]).includes(code)) return t(`insurance.item.${code}` as MessageKey);
  return schemeName ?? t('insurance.item.other');
}

export function documentName(t: Translate, kind: DocumentKind): string {
  return t(`insurance.doc.${kind}`);
}

export function ClaimStatusTag({ status }: { status: ClaimStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="claim-status">
      {t(`insurance.status.${status}`)}
    </Tag>
  );
}

/** The 10-working-day clock: due date, working days used, the overdue flag. */
export function ClaimClock({ claim }: { claim: ClaimSummary }) {
  const t = useT();
  const c = claim.clock;
  if (!c.completeOn) return <span>{t('insurance.clock.notStarted')}</span>;
  return (
    <Space size={[4, 4]} wrap>
      <span>{t('insurance.clock.due', { date: c.dueOn ?? '—' })}</span>
      {c.workingDays !== null && <Tag>{t('insurance.clock.used', { days: c.workingDays })}</Tag>}
      {c.overdue && (
        <Tag color="red" data-testid="claim-overdue">
          {t('insurance.clock.overdue')}
        </Tag>
      )}
      {claim.escalatedAt && (
        <Tag color="volcano" data-testid="claim-escalated">
          {t('insurance.clock.escalated', { date: formatDate(claim.escalatedAt) })}
        </Tag>
      )}
    </Space>
  );
}
