import { useEffect, useState, type ReactNode } from 'react';
import type { PublicRegionList } from '@jiuzhu/shared';
import { api } from './api';
import { t } from './i18n';

type Region = PublicRegionList['items'][number];

/**
 * The township and village selects of a public page: townships load once, a township's villages
 * when it is chosen. `onChange` gets the chosen village's code ('' while none is chosen);
 * `onError` gets a failed request's error.
 */
export function VillagePicker({
  testId,
  value,
  onChange,
  onError,
  villageError,
}: {
  /** Prefix of the selects' test ids: `${testId}-township`, `${testId}-village`. */
  testId: string;
  value: string;
  onChange: (villageCode: string) => void;
  onError: (e: unknown) => void;
  /** Shown under the village select (the form's field error). */
  villageError?: ReactNode;
}) {
  const [townships, setTownships] = useState<Region[]>([]);
  const [villages, setVillages] = useState<Region[]>([]);
  const [township, setTownship] = useState('');

  useEffect(() => {
    api<PublicRegionList>('GET', '/api/public/regions')
      .then((r) => setTownships(r.items))
      .catch(onError);
    // Townships load once: the parent's onError is a new function on each of its renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  function chooseTownship(code: string) {
    setTownship(code);
    setVillages([]);
    onChange('');
    if (!code) return;
    api<PublicRegionList>('GET', `/api/public/regions?parent=${code}`)
      .then((r) => setVillages(r.items))
      .catch(onError);
  }

  return (
    <>
      <label className="field">
        <span>{t('apply.township')}</span>
        <select data-testid={`${testId}-township`} value={township} onChange={(e) => chooseTownship(e.target.value)}>
          <option value="">{t('apply.choose')}</option>
          {townships.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('apply.village')}</span>
        <select
          data-testid={`${testId}-village`}
          value={value}
          disabled={villages.length === 0}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">{t('apply.choose')}</option>
          {villages.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
        {villageError}
      </label>
    </>
  );
}
