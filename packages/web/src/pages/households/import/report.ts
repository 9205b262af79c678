import { ImportReport } from '@jiuzhu/shared';
import { api } from '../../../api/client';

export type { ImportError, ImportReport } from '@jiuzhu/shared';

/**
 * Sends the file as it is (the server reads .xlsx and .csv itself). The name travels
 * percent-encoded in `x-filename`: header values are Latin-1 only, and clerks' files are
 * called 家庭信息.xlsx.
 */
export function uploadImport(file: File, dryRun: boolean, signal?: AbortSignal): Promise<ImportReport> {
  return api.post('/api/households/import', {
    query: { dryRun },
    body: file,
    headers: { 'x-filename': encodeURIComponent(file.name) },
    schema: ImportReport,
    signal,
  });
}

/**
 * Households a confirmed import would add: those that passed, less those a previous import
 * already brought in (the server counts both as valid and leaves the latter unchanged).
 */
export const freshHouseholds = (r: ImportReport) => Math.max(0, r.validHouseholds - r.unchangedHouseholds);

export const TEMPLATE_URL = '/api/households/import/template.xlsx';
export const errorsCsvUrl = (importId: string) => `/api/households/import/${encodeURIComponent(importId)}/errors.csv`;
