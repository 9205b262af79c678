import { useState } from 'react';
import type { PublicProgress } from '@jiuzhu/shared';
import { api, ApiFailure } from '../api';
import { t } from '../i18n';

/** Progress by case number and a one-time code sent to the application's phone. */
export function ProgressPage({ initialCaseNo }: { initialCaseNo: string }) {
  const [caseNo, setCaseNo] = useState(initialCaseNo);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<PublicProgress | null>(null);

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError('');
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiFailure ? (e.error.fields[0]?.message ?? e.message) : t('app.network'));
    } finally {
      setBusy(false);
    }
  }

  if (progress)
    return (
      <section className="card" data-testid="h5-progress">
        <p className="muted">{t('progress.caseNo')}</p>
        <p className="case-no">{progress.caseNo}</p>
        <p>
          {t('progress.status')}：<strong data-testid="h5-progress-status">{t(`status.${progress.status}`)}</strong>
        </p>
        <p className="muted">
          {t('progress.submittedOn')}：{progress.submittedOn}
        </p>
        {progress.enrolledFrom && <p>{t('progress.enrolledFrom', { month: progress.enrolledFrom })}</p>}
        {progress.missingDocuments.length > 0 && (
          <>
            <h2>{t('progress.missing')}</h2>
            <ul>
              {progress.missingDocuments.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </>
        )}
        <h2>{t('progress.steps')}</h2>
        <ul className="steps">
          {progress.steps.map((s, i) => (
            <li key={i}>
              {s.on} {t(`action.${s.action}`)}
            </li>
          ))}
        </ul>
      </section>
    );

  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          setProgress(await api<PublicProgress>('POST', '/api/public/progress', { caseNo: caseNo.trim(), code }));
        });
      }}
    >
      <label className="field">
        <span>{t('progress.caseNo')}</span>
        <input data-testid="h5-progress-caseno" value={caseNo} onChange={(e) => setCaseNo(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('progress.phone')}</span>
        <div className="row">
          <input
            type="tel"
            inputMode="numeric"
            maxLength={11}
            data-testid="h5-progress-phone"
            value={phone}
            onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
          />
          <button
            type="button"
            data-testid="h5-progress-getcode"
            disabled={busy || !/^1\d{10}$/.test(phone) || caseNo.trim() === ''}
            onClick={() =>
              void run(async () => {
                await api('POST', '/api/public/progress/code', { caseNo: caseNo.trim(), phone });
                setSent(true);
              })
            }
          >
            {t('progress.getCode')}
          </button>
        </div>
      </label>
      {sent && <p className="ok">{t('progress.codeSent')}</p>}
      <label className="field">
        <span>{t('progress.code')}</span>
        <input
          inputMode="numeric"
          maxLength={6}
          autoComplete="one-time-code"
          data-testid="h5-progress-code"
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit" className="primary" data-testid="h5-progress-submit" disabled={busy || code.length !== 6}>
        {t('progress.query')}
      </button>
    </form>
  );
}
