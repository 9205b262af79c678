/**
 * The field app's routine care visits (探访关爱), households and referrals (转介), issue 17: the
 * lists come from the phone's copy (store.ts cache) so they open offline; care visits and
 * referrals go to the outbox like lead visits.
 */
import { useEffect, useState } from 'react';
import type { Agency, CareDue, CareFinding, ReferralSource, ReferralSummary } from '@jiuzhu/shared';
import { photoPayload, type CompressedPhoto } from '../lib/photo';
import { lang, t } from './i18n';
import { LocateButton, visitLocation } from './LocateButton';
import type { FieldKey } from './locales/zh-CN';
import { enqueue, getCache, type CachedHousehold, type CachedReview } from './store';

const FINDINGS: readonly CareFinding[] = ['well', 'needs_help', 'not_home'];

function useCache<K extends 'households' | 'careDue' | 'agencies' | 'referrals' | 'reviews'>(key: K, version: number) {
  const [state, setState] = useState<{ value: Awaited<ReturnType<typeof getCache<K>>>['value']; at: string | null }>();
  useEffect(() => {
    void getCache(key).then(setState);
  }, [key, version]);
  return state;
}

const at = (iso: string | null) => (iso ? t('app.cachedAt', { at: new Date(iso).toLocaleString(lang) }) : '');

/** The households of my village due a care visit, the overdue first. */
export function CareList({ version, onPick }: { version: number; onPick: (d: CareDue) => void }) {
  const due = useCache('careDue', version);
  if (!due) return null;
  return (
    <>
      {due.at && <p className="muted">{at(due.at)}</p>}
      {due.value.length === 0 && <p className="muted">{t('care.empty')}</p>}
      {due.value.map((d) => (
        <button
          key={d.householdId}
          type="button"
          className="card tile-button"
          data-testid="field-care"
          data-household={d.householdId}
          data-overdue={d.overdue}
          onClick={() => onPick(d)}
        >
          <strong>
            {d.headName} · {d.planLabel}
          </strong>
          <span className={d.overdue ? 'error' : 'muted'}>
            {d.overdue ? t('care.overdue', { date: d.dueOn }) : t('care.due', { date: d.dueOn })}
            {' · '}
            {d.lastVisitDate ? t('care.last', { date: d.lastVisitDate }) : t('care.never')}
          </span>
        </button>
      ))}
    </>
  );
}

export function CareForm({
  due,
  PhotoPicker,
  onSaved,
}: {
  due: CareDue;
  PhotoPicker: (p: { photos: CompressedPhoto[]; onChange: (p: CompressedPhoto[]) => void }) => React.ReactNode;
  onSaved: () => void;
}) {
  const [notes, setNotes] = useState('');
  const [finding, setFinding] = useState<CareFinding>('well');
  const [photos, setPhotos] = useState<CompressedPhoto[]>([]);
  const [location, setLocation] = useState<GeolocationCoordinates | null>(null);
  const [error, setError] = useState('');
  return (
    <form
      className="card"
      data-testid="field-care-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!notes.trim()) return setError(t('visit.required'));
        void enqueue({
          key: crypto.randomUUID(),
          kind: 'careVisit',
          label: due.headName,
          url: '/api/care/visits',
          body: {
            householdId: due.householdId,
            visitedAt: new Date().toISOString(),
            finding,
            notes: notes.trim(),
            ...visitLocation(location),
            photos: photos.map(photoPayload),
          },
        }).then(onSaved);
      }}
    >
      <h2>{t('care.title', { name: due.headName })}</h2>
      <p className="muted">{due.addressMasked}</p>
      <label className="field">
        <span>{t('visit.notes')}</span>
        <textarea data-testid="field-care-notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <fieldset className="field">
        <span>{t('care.finding')}</span>
        {FINDINGS.map((f) => (
          <label key={f} className="check">
            <input
              type="radio"
              name="finding"
              data-testid={`field-finding-${f}`}
              checked={finding === f}
              onChange={() => setFinding(f)}
            />
            <span>{t(`finding.${f}` as FieldKey)}</span>
          </label>
        ))}
      </fieldset>
      <p className="muted">{t('visit.photos')}</p>
      <PhotoPicker photos={photos} onChange={setPhotos} />
      <LocateButton testId="field-care-locate" location={location} onLocated={setLocation} onError={setError} />
      {error && <p className="error">{error}</p>}
      <button type="submit" className="primary" data-testid="field-care-save">
        {t('care.save')}
      </button>
    </form>
  );
}

/** My village's households (masked), with their open referrals; each can be referred. */
export function HouseholdList({
  version,
  onRefer,
}: {
  version: number;
  onRefer: (h: { source: ReferralSource; id: string; name: string }) => void;
}) {
  const households = useCache('households', version);
  const referrals = useCache('referrals', version);
  if (!households || !referrals) return null;
  const open = (householdId: string) =>
    referrals.value.filter((r: ReferralSummary) => r.source === 'household' && r.sourceId === householdId);
  return (
    <>
      {households.at && <p className="muted">{at(households.at)}</p>}
      {households.value.length === 0 && <p className="muted">{t('households.empty')}</p>}
      {households.value.map((h: CachedHousehold) => (
        <section key={h.id} className="card" data-testid="field-household" data-household={h.id}>
          <strong>
            {h.headName} {h.headIdMasked}
          </strong>
          <p className="muted">{t('households.members', { n: h.memberCount })}</p>
          {open(h.id).map((r) => (
            <p key={r.id} className="muted" data-testid="field-household-referral">
              {t('referral.open', { agency: r.agencyName, status: t(`referral.status.${r.status}` as FieldKey) })}
            </p>
          ))}
          <button
            type="button"
            data-testid="field-household-refer"
            onClick={() => onRefer({ source: 'household', id: h.id, name: h.headName })}
          >
            {t('referral.start')}
          </button>
        </section>
      ))}
    </>
  );
}

/** A referral to one of the configured agencies (kept on the phone), sent through the outbox. */
export function ReferralForm({
  from,
  version,
  onSaved,
}: {
  from: { source: ReferralSource; id: string; name: string };
  version: number;
  onSaved: () => void;
}) {
  const agencies = useCache('agencies', version);
  const [agencyId, setAgencyId] = useState('');
  const [request, setRequest] = useState('');
  const [error, setError] = useState('');
  if (!agencies) return null;
  return (
    <form
      className="card"
      data-testid="field-referral-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!agencyId || !request.trim()) return setError(t('referral.required'));
        void enqueue({
          key: crypto.randomUUID(),
          kind: 'referral',
          label: from.name,
          url: '/api/referrals',
          body: {
            agencyId,
            source: from.source,
            sourceId: from.id,
            request: request.trim(),
            sentAt: new Date().toISOString(),
          },
        }).then(onSaved);
      }}
    >
      <h2>{t('referral.title', { name: from.name })}</h2>
      {agencies.value.length === 0 && <p className="muted">{t('referral.noAgencies')}</p>}
      <fieldset className="field">
        <span>{t('referral.agency')}</span>
        {agencies.value.map((a: Agency) => (
          <label key={a.id} className="check">
            <input
              type="radio"
              name="agency"
              data-testid="field-referral-agency"
              data-agency={a.id}
              checked={agencyId === a.id}
              onChange={() => setAgencyId(a.id)}
            />
            <span>
              {a.name}
              <span className="muted">
                {' '}
                · {a.help} · {a.contact}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('referral.request')}</span>
        <textarea data-testid="field-referral-request" value={request} onChange={(e) => setRequest(e.target.value)} />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit" className="primary" data-testid="field-referral-save">
        {t('referral.save')}
      </button>
    </form>
  );
}

/**
 * Leads referred to an agency and not yet answered stay in view on the lead list (the lead itself
 * is closed as 'referred'), so the worker follows them up.
 */
export function ReferredLeads({ version, openLeadIds }: { version: number; openLeadIds: readonly string[] }) {
  const referrals = useCache('referrals', version);
  const items = (referrals?.value ?? []).filter(
    (r: ReferralSummary) => r.source === 'lead' && !openLeadIds.includes(r.sourceId),
  );
  if (items.length === 0) return null;
  return (
    <>
      <h2>{t('referral.following')}</h2>
      {items.map((r) => (
        <section key={r.id} className="card" data-testid="field-referred-lead">
          <strong>{r.personName}</strong>
          <p className="muted">
            {t('referral.open', { agency: r.agencyName, status: t(`referral.status.${r.status}` as FieldKey) })}
          </p>
        </section>
      ))}
    </>
  );
}

/** My village's reviews (复核) waiting for their home visit, from the phone's copy: readable offline. */
export function ReviewList({ version }: { version: number }) {
  const reviews = useCache('reviews', version);
  if (!reviews) return null;
  const sorted = [...reviews.value].sort((a: CachedReview, b: CachedReview) => a.dueOn.localeCompare(b.dueOn));
  return (
    <>
      {reviews.at && <p className="muted">{at(reviews.at)}</p>}
      {sorted.length === 0 && <p className="muted">{t('reviews.empty')}</p>}
      {sorted.map((r) => (
        <section key={r.id} className="card" data-testid="field-review" data-review={r.id} data-overdue={r.overdue}>
          <strong>
            {r.name} · {t(`kind.${r.kind}` as FieldKey)}
          </strong>
          <p className="muted">
            {r.householdNo ? `${t('reviews.household', { no: r.householdNo })} · ` : ''}
            {t('households.members', { n: r.members })}
          </p>
          <p className={r.overdue ? 'error' : 'muted'}>
            {r.overdue ? t('reviews.overdue', { date: r.dueOn }) : t('reviews.due', { date: r.dueOn })}
          </p>
        </section>
      ))}
    </>
  );
}
