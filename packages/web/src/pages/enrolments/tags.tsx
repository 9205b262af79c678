import { Tag } from 'antd';
import type { EnrolmentStatus, ReviewStatus } from '@jiuzhu/shared';
import { useT } from '../../i18n';

const ENROLMENT_COLOR: Record<EnrolmentStatus, string> = {
  active: 'green',
  suspended: 'orange',
  gradual_exit: 'gold',
  ended: 'default',
};
const REVIEW_COLOR: Record<ReviewStatus, string> = {
  open: 'blue',
  surveyed: 'cyan',
  verified: 'geekblue',
  determined: 'purple',
  decided: 'green',
};

export function EnrolmentStatusTag({ status }: { status: EnrolmentStatus }) {
  const t = useT();
  return (
    <Tag color={ENROLMENT_COLOR[status]} data-testid="enrolment-status">
      {t(`enrolments.status.${status}`)}
    </Tag>
  );
}

export function ReviewStatusTag({ status, overdue }: { status: ReviewStatus; overdue?: boolean }) {
  const t = useT();
  return (
    <>
      <Tag color={REVIEW_COLOR[status]} data-testid="review-status">
        {t(`reviews.status.${status}`)}
      </Tag>
      {overdue && <Tag color="red">{t('reviews.overdue')}</Tag>}
    </>
  );
}
