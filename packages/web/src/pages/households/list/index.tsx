import { Link, useNavigate } from 'react-router-dom';
import { Button } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { HouseholdSummary } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useCanOpen } from '../../../app/useCanOpen';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import { FlagTags, HOUSEHOLD_FLAGS, StatusTag } from '../../../components/registry/tags';
import { useHouseholds } from './useHouseholds';
import { HouseholdFilterForm } from './HouseholdFilterForm';

/**
 * The registry list in the list-page pattern. Its search form is its own: name and ID number are
 * kept out of the URL (in the history entry), so ListPage gets no fields and the filters ride in `load`.
 */
export default function HouseholdsPage() {
  const t = useT();
  const navigate = useNavigate();
  const canCreate = useCanOpen('households-new');
  const canImport = useCanOpen('households-import');
  const { filters, setFilters, listParams, update, load } = useHouseholds();
  const detailPath = (h: HouseholdSummary) => `/households/${seg(h.id)}`;

  const columns: ListColumn<HouseholdSummary>[] = [
    {
      key: 'householdNo',
      title: t('households.field.householdNo'),
      sortKey: 'householdNo',
      render: (h) => (
        <Link to={detailPath(h)} data-testid="household-link">
          {h.householdNo}
        </Link>
      ),
      exportValue: (h) => h.householdNo,
    },
    {
      key: 'headName',
      title: t('households.field.headName'),
      sortKey: 'headName',
      render: (h) => h.headName,
      exportValue: (h) => h.headName,
    },
    {
      key: 'headId',
      title: t('households.field.headId'),
      hideOnPhone: true,
      render: (h) => <span style={{ fontFamily: 'monospace' }}>{h.headIdMasked}</span>,
      exportValue: (h) => h.headIdMasked,
    },
    {
      key: 'village',
      title: t('households.field.village'),
      sortKey: 'region',
      hideOnPhone: true,
      render: (h) => h.regionName,
      exportValue: (h) => h.regionName,
    },
    {
      key: 'memberCount',
      title: t('households.field.memberCount'),
      sortKey: 'memberCount',
      align: 'right',
      hideOnPhone: true,
      render: (h) => h.memberCount,
      exportValue: (h) => h.memberCount,
    },
    {
      key: 'status',
      title: t('households.field.status'),
      render: (h) => <StatusTag status={h.assistanceStatus} />,
      exportValue: (h) => t(`registry.status.${h.assistanceStatus}`),
    },
    {
      key: 'flags',
      title: t('households.field.flags'),
      hideOnPhone: true,
      render: (h) => <FlagTags flags={h.flags} />,
      exportValue: (h) =>
        HOUSEHOLD_FLAGS.filter((f) => h.flags.includes(f))
          .map((f) => t(`registry.flag.tag.${f}`))
          .join('、'),
    },
    {
      key: 'updatedAt',
      title: t('households.field.updatedAt'),
      sortKey: 'updatedAt',
      hideOnPhone: true,
      render: (h) => formatDateTime(h.updatedAt),
      exportValue: (h) => formatDateTime(h.updatedAt),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('households.title')}
        extra={
          <>
            {canImport && (
              <Button
                icon={<UploadOutlined />}
                onClick={() => navigate('/households/import')}
                data-testid="household-import"
              >
                {t('households.import')}
              </Button>
            )}
            {canCreate && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/households/new')}
                data-testid="household-create"
              >
                {t('households.create')}
              </Button>
            )}
          </>
        }
      />
      <HouseholdFilterForm value={filters} onChange={setFilters} />
      <div data-testid="households-table">
        <ListPage<HouseholdSummary>
          id="households"
          fields={[]}
          columns={columns}
          params={listParams}
          update={update}
          load={load}
          deps={[JSON.stringify(filters)]}
          rowKey={(h) => h.id}
          rowTestId={(h) => `household-row-${h.householdNo}`}
          exportName={t('households.export.name')}
        />
      </div>
    </>
  );
}
