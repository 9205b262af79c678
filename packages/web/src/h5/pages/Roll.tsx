import { useEffect, useState } from 'react';
import type { PublicRecipientList, PublicRegionList } from '@jiuzhu/shared';
import { api, ApiFailure } from '../api';
import { t, yuan } from '../i18n';

type Region = PublicRegionList['items'][number];

/**
 * The long-term notice (长期公示) on the phone: a village's current 低保 and 特困 recipients —
 * name, covered members, kind, monthly amount; nothing else (the API gives nothing else).
 */
export function RollSection() {
  const [townships, setTownships] = useState<Region[]>([]);
  const [villages, setVillages] = useState<Region[]>([]);
  const [township, setTownship] = useState('');
  const [village, setVillage] = useState('');
  const [roll, setRoll] = useState<PublicRecipientList | null>(null);
  const [error, setError] = useState('');
  const fail = (e: unknown) => setError(e instanceof ApiFailure ? e.message : t('app.network'));

  useEffect(() => {
    api<PublicRegionList>('GET', '/api/public/regions')
      .then((r) => setTownships(r.items))
      .catch(fail);
  }, []);
  function chooseTownship(code: string) {
    setTownship(code);
    setVillages([]);
    setVillage('');
    setRoll(null);
    if (!code) return;
    api<PublicRegionList>('GET', `/api/public/regions?parent=${code}`)
      .then((r) => setVillages(r.items))
      .catch(fail);
  }
  function chooseVillage(code: string) {
    setVillage(code);
    setRoll(null);
    if (!code) return;
    api<PublicRecipientList>('GET', `/api/public/recipients?region=${code}&pageSize=200`).then(setRoll).catch(fail);
  }

  return (
    <section className="card" data-testid="h5-roll">
      <h2>{t('roll.title')}</h2>
      <p className="muted">{t('roll.intro')}</p>
      <label className="field">
        <span>{t('apply.township')}</span>
        <select data-testid="h5-roll-township" value={township} onChange={(e) => chooseTownship(e.target.value)}>
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
          data-testid="h5-roll-village"
          value={village}
          disabled={villages.length === 0}
          onChange={(e) => chooseVillage(e.target.value)}
        >
          <option value="">{t('apply.choose')}</option>
          {villages.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      {error && <p className="error">{error}</p>}
      {roll && roll.items.length === 0 && <p className="muted">{t('roll.empty')}</p>}
      {roll?.items.map((r, i) => (
        <p key={i} data-testid="h5-roll-item">
          {r.name} · {t('notices.members', { n: r.members })} · {t(`kind.${r.kind}`)} ·{' '}
          {t('notices.monthly', { amount: yuan(r.monthlyAmountFen) })}
        </p>
      ))}
    </section>
  );
}
