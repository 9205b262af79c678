import { useEffect, useState } from 'react';
import type { PublicNoticeList } from '@jiuzhu/shared';
import { api, ApiFailure } from '../api';
import { t, yuan } from '../i18n';
import { RollSection } from './Roll';

/** The notice board (公示): name, members, kinds and amount only; below it, the long-term notice of a village. */
export function NoticesPage() {
  const [data, setData] = useState<PublicNoticeList | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<PublicNoticeList>('GET', '/api/public/notices')
      .then(setData)
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : t('app.network')));
  }, []);
  let board;
  if (error) board = <p className="error">{error}</p>;
  else if (!data) board = <p className="muted">{t('app.loading')}</p>;
  else if (data.items.length === 0) board = <p className="muted">{t('notices.empty')}</p>;
  return (
    <>
      {board}
      {data && data.items.length > 0 && (
        <>
          <p className="muted">{t('notices.objection')}</p>
          {data.items.map((n, i) => (
            <section key={i} className="card" data-testid="h5-notice">
              <h2>
                {n.name} · {t('notices.members', { n: n.members })}
              </h2>
              <p>
                {n.townshipName} {n.villageName}
              </p>
              <p>
                {n.kinds.map((k) => t(`kind.${k}`)).join('、')}
                {n.monthlyAmountFen > 0 && ` · ${t('notices.monthly', { amount: yuan(n.monthlyAmountFen) })}`}
                {n.oneOffAmountFen > 0 && ` · ${t('notices.oneOff', { amount: yuan(n.oneOffAmountFen) })}`}
              </p>
              <p className="muted">{t('notices.until', { date: n.endsOn })}</p>
            </section>
          ))}
        </>
      )}
      <RollSection />
    </>
  );
}
