import { Link } from 'react-router-dom';
import { Card, Table } from 'antd';
import { ENROLMENT_READERS } from '@jiuzhu/shared';
import { seg } from '../../api/client';
import { useRequest } from '../../api/useRequest';
import { useMe } from '../../app/session';
import { useT } from '../../i18n';
import { formatYuan } from '../../lib/format';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KindTag } from '../cases/tags';
import { enrolmentsApi } from './api';
import { EnrolmentStatusTag } from './tags';

/** The household page's section: the household's enrolments, each a link to its detail. */
export function HouseholdEnrolments({ householdId }: { householdId: string }) {
  const t = useT();
  const allowed = ENROLMENT_READERS.includes(useMe().role);
  const list = useRequest(
    (signal) => (allowed ? enrolmentsApi.list({ householdId, pageSize: 50 }, signal) : Promise.resolve(undefined)),
    [householdId, allowed],
  );
  if (!allowed) return null;
  return (
    <Card title={t('enrolments.section.household')} size="small" data-testid="household-enrolments">
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table
        size="small"
        pagination={false}
        loading={list.loading}
        scroll={{ x: 'max-content' }}
        rowKey={(e) => e.id}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('enrolments.household.empty') }}
        columns={[
          {
            title: t('enrolments.field.kind'),
            render: (_, e) => (
              <Link to={`/enrolments/${seg(e.id)}`} data-testid="household-enrolment-link">
                <KindTag kind={e.kind} />
              </Link>
            ),
          },
          { title: t('enrolments.field.status'), render: (_, e) => <EnrolmentStatusTag status={e.status} /> },
          {
            title: t('enrolments.field.amount'),
            align: 'right',
            render: (_, e) => t('common.yuan', { amount: formatYuan(e.monthlyAmountFen) }),
          },
          { title: t('enrolments.field.members'), align: 'right', render: (_, e) => e.members },
          { title: t('enrolments.field.fromMonth'), render: (_, e) => e.fromMonth },
        ]}
      />
    </Card>
  );
}
