import { useState } from 'react';
import { AuditList } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';

export interface AuditFilters {
  action?: string;
  actor?: string;
  entity?: string;
  entityId?: string;
  /** 户编号: the household's rows and its members' (who saw what of this family). */
  household?: string;
  /** `YYYY-MM-DD`, inclusive. */
  from?: string;
  to?: string;
}

export function useAuditList() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 50 });
  const query = { ...filters, ...page };
  const list = useRequest(
    (signal) => api.get('/api/audit', { query: { ...query }, schema: AuditList, signal }),
    [JSON.stringify(query)],
  );
  return {
    list,
    filters,
    page,
    setPage,
    setFilters: (next: AuditFilters) => {
      setFilters(next);
      setPage((p) => ({ ...p, page: 1 }));
    },
  };
}
