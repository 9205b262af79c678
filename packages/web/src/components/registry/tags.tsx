import { Space, Tag } from 'antd';
import type { AssistanceStatus, HouseholdSummary, SelfCare } from '@jiuzhu/shared';
import { useT } from '../../i18n';

export type HouseholdFlag = HouseholdSummary['flags'][number];

/** In the order the filters offer them. */
export const ASSISTANCE_STATUSES: readonly AssistanceStatus[] = [
  'dibao',
  'tekun',
  'dibao_edge',
  'low_income',
  'applicant',
  'none',
];
export const HOUSEHOLD_FLAGS: readonly HouseholdFlag[] = [
  'staff_relative',
  'disability',
  'serious_illness',
  'elderly',
  'minor',
];

const STATUS_COLOR: Record<AssistanceStatus, string | undefined> = {
  dibao: 'blue',
  tekun: 'purple',
  dibao_edge: 'orange',
  low_income: 'gold',
  applicant: 'cyan',
  none: undefined,
};

const FLAG_COLOR: Record<HouseholdFlag, string> = {
  // Red: a household with a staff relative needs a separate filing and county approval.
  staff_relative: 'red',
  disability: 'orange',
  serious_illness: 'magenta',
  elderly: 'geekblue',
  minor: 'green',
};

const SELF_CARE_COLOR: Record<SelfCare, string> = { self: 'green', partial: 'orange', complete: 'red' };

export function StatusTag({ status, testId = 'status-tag' }: { status: AssistanceStatus; testId?: string }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={testId} data-status={status}>
      {t(`registry.status.${status}`)}
    </Tag>
  );
}

/** One tag per flag, `data-testid="flag-<flag>"`. */
export function FlagTags({ flags }: { flags: readonly HouseholdFlag[] }) {
  const t = useT();
  if (flags.length === 0) return <>—</>;
  return (
    <Space size={4} wrap>
      {HOUSEHOLD_FLAGS.filter((f) => flags.includes(f)).map((f) => (
        <Tag key={f} color={FLAG_COLOR[f]} data-testid={`flag-${f}`} style={{ marginInlineEnd: 0 }}>
          {t(`registry.flag.tag.${f}`)}
        </Tag>
      ))}
    </Space>
  );
}

export function SelfCareTag({ value, testId }: { value: SelfCare; testId?: string }) {
  const t = useT();
  return (
    <Tag color={SELF_CARE_COLOR[value]} data-testid={testId} data-value={value}>
      {t(`registry.selfCare.${value}`)}
    </Tag>
  );
}
