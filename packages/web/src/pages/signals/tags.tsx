import { Tag } from 'antd';
import type { SignalOutcome, SignalStatus } from '@jiuzhu/shared';
import { useT } from '../../i18n';

const OUTCOME_COLOR: Record<SignalOutcome, string> = {
  review: 'gold',
  suspend: 'orange',
  stop: 'red',
  claim_prompt: 'purple',
  lead: 'blue',
};
const STATUS_COLOR: Record<SignalStatus, string> = {
  open: 'processing',
  in_progress: 'warning',
  resolved: 'success',
  dismissed: 'default',
};

export function OutcomeTag({ outcome }: { outcome: SignalOutcome }) {
  const t = useT();
  return <Tag color={OUTCOME_COLOR[outcome]}>{t(`signals.outcome.${outcome}`)}</Tag>;
}

export function SignalStatusTag({ status }: { status: SignalStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLOR[status]}>{t(`signals.status.${status}`)}</Tag>;
}
