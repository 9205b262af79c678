import { Descriptions, Empty } from 'antd';
import type { Region } from '@jiuzhu/shared';
import { useT } from '../../../i18n';

export function RegionDetails({ region, path }: { region: Region | undefined; path: string[] }) {
  const t = useT();
  if (!region) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('regions.details.none')} />;
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      data-testid="region-details"
      items={[
        { key: 'name', label: t('regions.details.name'), children: region.name },
        { key: 'path', label: t('regions.details.path'), children: path.join(' / ') },
        {
          key: 'code',
          label: t('regions.details.code'),
          children: <span data-testid="region-code">{region.code}</span>,
        },
        {
          key: 'level',
          label: t('regions.details.level'),
          children: <span data-testid="region-level">{t(`level.${region.level}`)}</span>,
        },
        {
          key: 'children',
          label: t('regions.details.childCount'),
          children: <span data-testid="region-child-count">{region.childCount}</span>,
        },
      ]}
    />
  );
}
