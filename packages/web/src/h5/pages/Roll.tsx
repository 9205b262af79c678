import { useState } from 'react';
import type { PublicRecipientList } from '@jiuzhu/shared';
import { api, ApiFailure } from '../api';
import { t, yuan } from '../i18n';
import { VillagePicker } from '../VillagePicker';

/**
 * The long-term notice (长期公示) on the phone: a village's current 低保 and 特困 recipients —
 * name, covered members, kind, monthly amount; nothing else (the API gives nothing else).
 */
export function RollSection() {
  const [village, setVillage] = useState('');
  const [roll, setRoll] = useState<PublicRecipientList | null>(null);
  const [error, setError] = useState('');
  const fail = (e: unknown) => setError(e instanceof ApiFailure ? e.message : t('app.network'));

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
      <VillagePicker testId="h5-roll" value={village} onChange={chooseVillage} onError={fail} />
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
