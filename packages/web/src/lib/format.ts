import dayjs from 'dayjs';
import { parseYuan } from '@jiuzhu/shared';

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

/** Integer fen as yuan with two decimals and thousands separators: 123456 → '1,234.56'. */
export function formatYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  // Integer arithmetic: no floating-point rounding on the way.
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}${yuan}.${cents}`;
}

/** Integer fen as the plain yuan string a money input holds: 123456 → '1234.56'. */
export function fenToYuan(fen: number | null | undefined): string | undefined {
  if (fen === null || fen === undefined) return undefined;
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/**
 * A yuan amount typed by a clerk ('1234.5', 1234.5) as integer fen; undefined when empty,
 * NaN when it is not a non-negative amount with at most two decimals.
 */
export function yuanToFen(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text === '') return undefined;
  return parseYuan(text) ?? NaN;
}

/** A timestamp from the API as the date it fell on in the browser's time zone: '2026-12-04'. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format(DATE_FORMAT) : iso;
}
