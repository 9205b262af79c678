import { Space, Tag } from 'antd';
import type { LeadSummary, LeadVisitOutcome, ReferralAgency } from '@jiuzhu/shared';
import { useT } from '../../i18n';

export const VISIT_OUTCOMES: readonly LeadVisitOutcome[] = [
  'helped_to_apply',
  'referred',
  'already_covered',
  'not_needy',
  'unreachable',
];
export const REFERRAL_AGENCIES: readonly ReferralAgency[] = [
  'disability_federation',
  'medical_assistance',
  'education_bureau',
  'other',
];

/** Days left or overdue (working days), the escalation flag, or the outcome of a closed lead. */
export function LeadTags({ lead }: { lead: LeadSummary }) {
  const t = useT();
  return (
    <Space size={[4, 4]} wrap>
      {lead.status === 'closed' ? (
        <Tag color="green" data-testid="lead-status-closed">
          {t('leads.status.closed')}
          {lead.outcome ? ` · ${t(`leads.outcome.${lead.outcome}`)}` : ''}
        </Tag>
      ) : lead.overdue ? (
        <Tag color="red" data-testid="lead-overdue">
          {t('leads.due.overdue', { days: Math.max(1, -lead.workingDaysLeft) })}
        </Tag>
      ) : lead.workingDaysLeft === 0 ? (
        <Tag color="orange">{t('leads.due.today')}</Tag>
      ) : (
        <Tag color={lead.workingDaysLeft <= 2 ? 'orange' : 'blue'}>
          {t('leads.due.left', { days: lead.workingDaysLeft })}
        </Tag>
      )}
      {lead.escalated && (
        <Tag color="volcano" data-testid="lead-escalated">
          {t('leads.tag.escalated')}
        </Tag>
      )}
    </Space>
  );
}
