import { Tag } from 'antd';
import { addMonths, chinaToday, type PayrollStatus } from '@jiuzhu/shared';
import { useT } from '../../i18n';
import { formatYuan } from '../../lib/format';

const STATUS_COLOR: Record<PayrollStatus, string> = { draft: 'default', submitted: 'blue', approved: 'green' };

export function PayrollStatusTag({ status }: { status: PayrollStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="payroll-status">
      {t(`payroll.status.${status}`)}
    </Tag>
  );
}

/** Fen as "1,234.56 元". */
export function useYuan(): (fen: number) => string {
  const t = useT();
  return (fen) => t('common.yuan', { amount: formatYuan(fen) });
}

/** The months a clerk picks from: a year back to next month, newest first. */
export function recentMonths(): string[] {
  const now = chinaToday().slice(0, 7);
  return Array.from({ length: 14 }, (_, i) => addMonths(now, 1 - i));
}
