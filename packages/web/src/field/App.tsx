import { useCallback, useEffect, useState } from 'react';
import { validateIdNumber, type CareDue, type LeadSummary, type ReferralSource } from '@jiuzhu/shared';
import { compressPhoto, photoPayload, type CompressedPhoto } from '../lib/photo';
import { lang, t } from './i18n';
import { LocateButton, visitLocation } from './LocateButton';
import type { FieldKey } from './locales/zh-CN';
import { cachedLeads, enqueue, outbox, type OutboxItem } from './store';
import { syncNow } from './sync';
import { CareForm, CareList, HouseholdList, ReferralForm, ReferredLeads, ReviewList } from './Care';

/**
 * The grid worker's field app (/field): works with no network. Leads come from the phone's copy;
 * visits and applications go to the outbox and are sent when the network returns.
 */
type Me = { username: string; regionCode: string };
type Tab = 'leads' | 'care' | 'reviews' | 'households' | 'apply' | 'outbox';
type ReferFrom = { source: ReferralSource; id: string; name: string };
const ME_KEY = 'jz-field-me';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(() => {
    const saved = localStorage.getItem(ME_KEY);
    return saved ? (JSON.parse(saved) as Me) : undefined;
  });
  const [online, setOnline] = useState(navigator.onLine);
  const [tab, setTab] = useState<Tab>('leads');
  const [leads, setLeads] = useState<LeadSummary[]>([]);
  const [leadsAt, setLeadsAt] = useState<string | null>(null);
  const [items, setItems] = useState<OutboxItem[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [visiting, setVisiting] = useState<LeadSummary | null>(null);
  const [caring, setCaring] = useState<CareDue | null>(null);
  const [referring, setReferring] = useState<ReferFrom | null>(null);
  // Bumped on every reload so the cached lists (Care.tsx) read the phone's copy again.
  const [version, setVersion] = useState(0);

  const reload = useCallback(() => {
    void cachedLeads().then((c) => {
      setLeads(c.leads);
      setLeadsAt(c.at);
      setVersion((v) => v + 1);
    });
    void outbox().then(setItems);
  }, []);
  const sync = useCallback(() => {
    setSyncing(true);
    void syncNow(reload).finally(() => setSyncing(false));
  }, [reload]);

  useEffect(() => {
    reload();
    // Who is signed in, when the network says so; offline the last sign-in on this phone stands.
    fetch('/api/auth/me')
      .then(async (res) => {
        if (res.status === 401) {
          localStorage.removeItem(ME_KEY);
          setMe(null);
        } else if (res.ok) {
          const { user } = (await res.json()) as { user: Me };
          const m = { username: user.username, regionCode: user.regionCode };
          localStorage.setItem(ME_KEY, JSON.stringify(m));
          setMe(m);
          sync();
        }
      })
      .catch(() => setMe((m) => m ?? null));
    const on = () => {
      setOnline(true);
      sync();
    };
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, [reload, sync]);

  if (me === undefined) return null;
  if (me === null)
    return (
      <Login
        onIn={(m) => {
          localStorage.setItem(ME_KEY, JSON.stringify(m));
          setMe(m);
          sync();
        }}
      />
    );
  const pending = items.filter((i) => i.status === 'pending').length;

  return (
    <div className="h5">
      <header className="bar">
        <h1>{t('app.title')}</h1>
        <button type="button" className="link" data-testid="field-sync" disabled={syncing || !online} onClick={sync}>
          {syncing ? t('app.syncing') : t('app.sync')}
        </button>
      </header>
      <p className={online ? 'ok' : 'error'} data-testid="field-network" data-online={online}>
        {online ? t('app.online') : t('app.offline')}
      </p>
      <nav className="row" style={{ flexWrap: 'wrap' }}>
        {(['leads', 'care', 'reviews', 'households', 'apply', 'outbox'] as const).map((k) => (
          <button
            key={k}
            type="button"
            data-testid={`field-tab-${k}`}
            className={tab === k ? 'primary' : ''}
            onClick={() => {
              setTab(k);
              setVisiting(null);
              setCaring(null);
              setReferring(null);
            }}
          >
            {t(`tab.${k}`)}
            {k === 'outbox' && pending > 0 ? ` (${pending})` : ''}
          </button>
        ))}
      </nav>
      <main>
        {referring && (
          <ReferralForm
            from={referring}
            version={version}
            onSaved={() => {
              setReferring(null);
              setVisiting(null);
              reload();
              if (navigator.onLine) sync();
            }}
          />
        )}
        {!referring && tab === 'leads' && !visiting && (
          <>
            <LeadList leads={leads} at={leadsAt} onPick={setVisiting} />
            <ReferredLeads version={version} openLeadIds={leads.map((l) => l.id)} />
          </>
        )}
        {!referring && tab === 'leads' && visiting && (
          <>
            <VisitForm
              lead={visiting}
              onSaved={() => {
                setVisiting(null);
                reload();
                if (navigator.onLine) sync();
              }}
            />
            <button
              type="button"
              data-testid="field-lead-refer"
              onClick={() => setReferring({ source: 'lead', id: visiting.id, name: visiting.personName })}
            >
              {t('referral.start')}
            </button>
          </>
        )}
        {!referring && tab === 'care' && !caring && <CareList version={version} onPick={setCaring} />}
        {!referring && tab === 'care' && caring && (
          <CareForm
            due={caring}
            PhotoPicker={PhotoPicker}
            onSaved={() => {
              setCaring(null);
              reload();
              if (navigator.onLine) sync();
            }}
          />
        )}
        {!referring && tab === 'reviews' && <ReviewList version={version} />}
        {!referring && tab === 'households' && <HouseholdList version={version} onRefer={setReferring} />}
        {tab === 'apply' && (
          <ApplyForm
            villageCode={me.regionCode}
            onSaved={() => {
              reload();
              if (navigator.onLine) sync();
            }}
          />
        )}
        {tab === 'outbox' && <Outbox items={items} />}
      </main>
    </div>
  );
}

function Login({ onIn }: { onIn: (m: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void fetch('/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        })
          .then(async (res) => {
            if (!res.ok) return setError(t('login.failed'));
            const { user } = (await (await fetch('/api/auth/me')).json()) as { user: Me };
            onIn({ username: user.username, regionCode: user.regionCode });
          })
          .catch(() => setError(t('app.offline')));
      }}
    >
      <h2>{t('login.title')}</h2>
      <label className="field">
        <span>{t('login.username')}</span>
        <input data-testid="field-username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('login.password')}</span>
        <input
          type="password"
          data-testid="field-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit" className="primary" data-testid="field-login">
        {t('login.submit')}
      </button>
    </form>
  );
}

function LeadList({
  leads,
  at,
  onPick,
}: {
  leads: LeadSummary[];
  at: string | null;
  onPick: (l: LeadSummary) => void;
}) {
  return (
    <>
      {at && <p className="muted">{t('app.leadsAt', { at: new Date(at).toLocaleString(lang) })}</p>}
      {leads.length === 0 && <p className="muted">{t('leads.empty')}</p>}
      {leads.map((l) => (
        <button
          key={l.id}
          type="button"
          className="card tile-button"
          data-testid="field-lead"
          onClick={() => onPick(l)}
        >
          <strong>
            {l.personName} {l.idMasked}
          </strong>
          <span className="muted">
            {l.reason} · {l.overdue ? t('leads.overdue') : t('leads.due', { date: l.dueDate })}
          </span>
        </button>
      ))}
    </>
  );
}

const OUTCOMES = ['not_needy', 'already_covered', 'unreachable'] as const;

function PhotoPicker({ photos, onChange }: { photos: CompressedPhoto[]; onChange: (p: CompressedPhoto[]) => void }) {
  return (
    <>
      <div className="photos">
        {photos.map((p, i) => (
          <figure key={i} data-testid="field-photo" data-bytes={p.bytes} data-width={p.width} data-height={p.height}>
            <img src={p.dataUrl} alt="" />
            <figcaption className="muted">{t('photo.compressed', { kb: Math.round(p.bytes / 1024) })}</figcaption>
          </figure>
        ))}
      </div>
      {photos.length < 4 && (
        <label>
          <span className="muted">{t('visit.addPhoto')}</span>
          <input
            type="file"
            accept="image/*"
            capture="environment"
            data-testid="field-photo-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void compressPhoto(file).then((p) => onChange([...photos, p]));
            }}
          />
        </label>
      )}
    </>
  );
}

function VisitForm({ lead, onSaved }: { lead: LeadSummary; onSaved: () => void }) {
  const [notes, setNotes] = useState('');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('not_needy');
  const [photos, setPhotos] = useState<CompressedPhoto[]>([]);
  const [location, setLocation] = useState<GeolocationCoordinates | null>(null);
  const [error, setError] = useState('');
  return (
    <form
      className="card"
      data-testid="field-visit-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!notes.trim()) return setError(t('visit.required'));
        void enqueue({
          key: crypto.randomUUID(),
          kind: 'visit',
          label: lead.personName,
          url: `/api/leads/${encodeURIComponent(lead.id)}/visits`,
          body: {
            // The time of the visit is the phone's time when it was recorded, not when it reaches the server.
            visitedAt: new Date().toISOString(),
            notes: notes.trim(),
            outcome,
            ...visitLocation(location),
            photos: photos.map(photoPayload),
          },
        }).then(onSaved);
      }}
    >
      <h2>{t('visit.title', { name: lead.personName })}</h2>
      <label className="field">
        <span>{t('visit.notes')}</span>
        <textarea data-testid="field-visit-notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <fieldset className="field">
        <span>{t('visit.outcome')}</span>
        {OUTCOMES.map((o) => (
          <label key={o} className="check">
            <input
              type="radio"
              name="outcome"
              data-testid={`field-outcome-${o}`}
              checked={outcome === o}
              onChange={() => setOutcome(o)}
            />
            <span>{t(`outcome.${o}` as FieldKey)}</span>
          </label>
        ))}
      </fieldset>
      <p className="muted">{t('visit.photos')}</p>
      <PhotoPicker photos={photos} onChange={setPhotos} />
      <LocateButton testId="field-locate" location={location} onLocated={setLocation} onError={setError} />
      {error && <p className="error">{error}</p>}
      <button type="submit" className="primary" data-testid="field-visit-save">
        {t('visit.save')}
      </button>
    </form>
  );
}

function ApplyForm({ villageCode, onSaved }: { villageCode: string; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [consent, setConsent] = useState(false);
  const [note, setNote] = useState('');
  const id = idNumber.trim() ? validateIdNumber(idNumber) : null;
  const ready = name.trim() && id?.ok && address.trim() && /^1\d{10}$/.test(phone) && reason.trim() && consent;
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return setNote(t('apply.fix'));
        void enqueue({
          key: crypto.randomUUID(),
          kind: 'application',
          label: name.trim(),
          url: '/api/cases',
          body: {
            members: [{ name: name.trim(), idNumber: idNumber.trim(), relation: 'self' }],
            villageCode,
            address: address.trim(),
            phone,
            reason: reason.trim(),
            emergency: false,
            consent: true,
          },
        }).then(() => {
          setName('');
          setIdNumber('');
          setAddress('');
          setPhone('');
          setReason('');
          setConsent(false);
          setNote(t('apply.saved'));
          onSaved();
        });
      }}
    >
      <h2>{t('apply.title')}</h2>
      <label className="field">
        <span>{t('apply.name')}</span>
        <input data-testid="field-apply-name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('apply.idNumber')}</span>
        <input
          data-testid="field-apply-id"
          maxLength={18}
          value={idNumber}
          onChange={(e) => setIdNumber(e.target.value)}
        />
        {id && !id.ok && <p className="error">{id.message[lang]}</p>}
      </label>
      <label className="field">
        <span>{t('apply.address')}</span>
        <input data-testid="field-apply-address" value={address} onChange={(e) => setAddress(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('apply.phone')}</span>
        <input
          type="tel"
          maxLength={11}
          data-testid="field-apply-phone"
          value={phone}
          onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
        />
      </label>
      <label className="field">
        <span>{t('apply.reason')}</span>
        <textarea data-testid="field-apply-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="field-apply-consent"
          checked={consent}
          onChange={(e) => setConsent(e.target.checked)}
        />
        <span>{t('apply.consent')}</span>
      </label>
      {note && <p className="ok">{note}</p>}
      <button type="submit" className="primary" data-testid="field-apply-save">
        {t('apply.save')}
      </button>
    </form>
  );
}

function Outbox({ items }: { items: OutboxItem[] }) {
  if (items.length === 0) return <p className="muted">{t('outbox.empty')}</p>;
  return (
    <>
      {items.map((i) => (
        <section key={i.key} className="card" data-testid="field-outbox-item" data-status={i.status} data-kind={i.kind}>
          <strong>
            {t(`outbox.kind.${i.kind}`)} · {i.label}
          </strong>{' '}
          <span className={i.status === 'sent' ? 'ok' : i.status === 'pending' ? 'muted' : 'error'}>
            {t(`outbox.status.${i.status}`)}
          </span>
          {i.message && <p className="error">{i.message}</p>}
          <p className="muted">{new Date(i.createdAt).toLocaleString(lang)}</p>
        </section>
      ))}
    </>
  );
}
