import { Space, Tag, Typography } from 'antd';
import type { AssistanceKind, CaseStatus, CaseSummary, StepClock } from '@jiuzhu/shared';
import { useT } from '../../i18n';

const STATUS_COLOR: Record<CaseStatus, string | undefined> = {
  submitted: 'blue',
  missing_docs: 'orange',
  accepted: 'cyan',
  verifying: 'geekblue',
  verified: 'geekblue',
  determined: 'purple',
  notice: 'gold',
  pending_approval: 'magenta',
  enrolled: 'green',
  rejected: 'red',
};

const KIND_COLOR: Record<AssistanceKind, string> = {
  dibao: 'blue',
  tekun: 'purple',
  dibao_edge: 'orange',
  temporary: 'cyan',
};

export function CaseStatusTag({ status }: { status: CaseStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="case-status">
      {t(`cases.status.${status}`)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: AssistanceKind }) {
  const t = useT();
  return <Tag color={KIND_COLOR[kind]}>{t(`policy.kind.${kind}`)}</Tag>;
}

/** Working days left on a clock, or how far past its due date (red). */
export function ClockTag({ clock, testId }: { clock: StepClock; testId?: string }) {
  const t = useT();
  if (clock.dueOn === null || clock.remainingWorkingDays === null)
    return (
      <Tag data-testid={testId} data-overdue="false">
        {t('cases.clock.noDeadline')}
      </Tag>
    );
  const left = clock.remainingWorkingDays;
  if (clock.overdue)
    return (
      <Tag color="red" data-testid={testId} data-overdue="true">
        {t('cases.clock.overdue', { days: Math.max(1, -left) })}
      </Tag>
    );
  return (
    <Tag color={left === 0 ? 'orange' : left <= 2 ? 'gold' : 'blue'} data-testid={testId} data-overdue="false">
      {left === 0 ? t('cases.clock.today') : t('cases.clock.left', { days: left })}
    </Tag>
  );
}

/** Emergency (急难) and staff-relative (近亲属) flags. */
export function CaseFlags({ c }: { c: Pick<CaseSummary, 'emergency' | 'staffRelative'> }) {
  const t = useT();
  if (!c.emergency && !c.staffRelative) return null;
  return (
    <Space size={[4, 4]} wrap>
      {c.emergency && (
        <Tag color="volcano" data-testid="case-emergency">
          {t('cases.tag.emergency')}
        </Tag>
      )}
      {c.staffRelative && (
        <Tag color="purple" data-testid="case-staff-relative">
          {t('cases.tag.staffRelative')}
        </Tag>
      )}
    </Space>
  );
}

/** The step's due date with its days-left tag. */
export function StepDue({ clock }: { clock: StepClock }) {
  return (
    <Space size={4} wrap>
      {clock.dueOn && <Typography.Text type={clock.overdue ? 'danger' : undefined}>{clock.dueOn}</Typography.Text>}
      <ClockTag clock={clock} testId="case-step-clock" />
    </Space>
  );
}
