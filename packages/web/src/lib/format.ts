import dayjs from 'dayjs';

export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';
export const DATE_FORMAT = 'YYYY-MM-DD';

/** Timestamps from the API (ISO 8601, UTC) shown in the browser's local time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format(DATE_TIME_FORMAT) : iso;
}

/** True while an account's lock is in force. */
export function isLocked(lockedUntil: string | null | undefined): boolean {
  return !!lockedUntil && dayjs(lockedUntil).isAfter(dayjs());
}
