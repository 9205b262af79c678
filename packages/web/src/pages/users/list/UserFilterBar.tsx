import { Flex, Input, Select } from 'antd';
import { ROLES, type Role } from '@jiuzhu/shared';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import type { UserFilters } from './useUsers';

export function UserFilterBar({ value, onChange }: { value: UserFilters; onChange: (next: UserFilters) => void }) {
  const t = useT();
  const me = useMe();
  return (
    <Flex gap="small" wrap style={{ marginBottom: 16 }}>
      <Input.Search
        allowClear
        placeholder={t('users.filter.q')}
        maxLength={64}
        style={{ width: 240 }}
        defaultValue={value.q}
        onSearch={(q) => onChange({ ...value, q: q.trim() || undefined })}
        data-testid="users-filter-q"
      />
      <Select<Role>
        allowClear
        placeholder={t('users.filter.role')}
        style={{ width: 200 }}
        value={value.role}
        onChange={(role) => onChange({ ...value, role })}
        options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        data-testid="users-filter-role"
      />
      <RegionTreeSelect
        rootCode={me.regionCode}
        allowClear
        placeholder={t('users.filter.region')}
        style={{ width: 260 }}
        value={value.regionCode}
        onChange={(regionCode) => onChange({ ...value, regionCode })}
        data-testid="users-filter-region"
      />
    </Flex>
  );
}
