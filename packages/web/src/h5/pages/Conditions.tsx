import { useEffect, useState } from 'react';
import type { PublicCondition, PublicConditions } from '@jiuzhu/shared';
import { navigate } from '../navigate';
import { api, ApiFailure } from '../api';
import { t, yuan } from '../i18n';

function text(c: PublicCondition): string {
  const params = {
    amount: yuan(c.amountFen),
    second: c.secondAmountFen === null ? '' : yuan(c.secondAmountFen),
    properties: c.propertiesAllowed ?? 0,
  };
  return t(`conditions.${c.kind}`, params);
}

/** Who may apply for what, worded for the public from the standards in force. */
export function ConditionsPage() {
  const [data, setData] = useState<PublicConditions | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<PublicConditions>('GET', '/api/public/conditions')
      .then(setData)
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : t('app.network')));
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">{t('app.loading')}</p>;
  return (
    <>
      <p className="muted">{t('conditions.region', { region: data.regionName })}</p>
      {data.items.some((c) => c.isDemo) && <div className="demo">{t('conditions.demo')}</div>}
      {data.items.map((c) => (
        <section key={c.kind} className="card" data-testid={`h5-condition-${c.kind}`}>
          <h2>{t(`kind.${c.kind}`)}</h2>
          <p>{text(c)}</p>
          {c.noticeDays !== null && <p className="muted">{t('conditions.notice', { days: c.noticeDays })}</p>}
          <p className="muted">{t('conditions.since', { month: c.effectiveMonth })}</p>
        </section>
      ))}
      <button type="button" className="primary" onClick={() => navigate('/m/apply')}>
        {t('conditions.apply')}
      </button>
    </>
  );
}
