import { useState } from 'react';
import { UserList, type Role } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';

export interface UserFilters {
  q?: string;
  role?: Role;
  regionCode?: string;
}

export function useUsers() {
  const [filters, setFilters] = useState<UserFilters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const query = { ...filters, ...page };
  const list = useRequest(
    (signal) => api.get('/api/users', { query: { ...query }, schema: UserList, signal }),
    [JSON.stringify(query)],
  );
  return {
    list,
    filters,
    page,
    /** New filters start again from page 1. */
    setFilters: (next: UserFilters) => {
      setFilters(next);
      setPage((p) => ({ ...p, page: 1 }));
    },
    setPage,
  };
}
