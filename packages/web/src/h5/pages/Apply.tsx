import { useState } from 'react';
import { validateIdNumber, type ApplicationMember } from '@jiuzhu/shared';
import { compressPhoto, type CompressedPhoto } from '../../lib/photo';
import { navigate } from '../navigate';
import { api } from '../api';
import { DoneCard } from '../DoneCard';
import { PhoneCodeFields } from '../PhoneCode';
import { VillagePicker } from '../VillagePicker';
import { useFormSubmit } from '../form';
import { lang, t } from '../i18n';
import type { H5Key } from '../locales/zh-CN';

/**
 * The minimal application (极简申请): members with ID numbers checked as typed, the village,
 * the phone confirmed by a text code, the reason, consent and photos of documents.
 */
type Member = { name: string; idNumber: string; relation: ApplicationMember['relation'] };
const RELATIONS: ApplicationMember['relation'][] = [
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'other',
];

function idMessage(idNumber: string): { ok: boolean; text: string } | null {
  if (idNumber.trim() === '') return null;
  const v = validateIdNumber(idNumber);
  return v.ok ? { ok: true, text: t('apply.idOk') } : { ok: false, text: v.message[lang] };
}

export function ApplyPage({ onDone }: { onDone: (caseNo: string) => void }) {
  const [members, setMembers] = useState<Member[]>([{ name: '', idNumber: '', relation: 'self' }]);
  const [villageCode, setVillageCode] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [phoneCode, setPhoneCode] = useState('');
  const [reason, setReason] = useState('');
  const [emergency, setEmergency] = useState(false);
  const [consent, setConsent] = useState(false);
  const [photos, setPhotos] = useState<CompressedPhoto[]>([]);
  const { error, setError, busy, err, submit: send } = useFormSubmit();
  const [caseNo, setCaseNo] = useState('');

  const setMember = (i: number, patch: Partial<Member>) =>
    setMembers((ms) => ms.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  async function addPhotos(files: FileList | null) {
    if (!files) return;
    for (const file of Array.from(files).slice(0, 4 - photos.length)) {
      try {
        const p = await compressPhoto(file);
        setPhotos((ps) => (ps.length < 4 ? [...ps, p] : ps));
      } catch {
        setError(t('apply.photoFailed'));
      }
    }
  }

  function check(): Record<string, string> {
    const errors: Record<string, string> = {};
    const required = t('apply.required');
    members.forEach((m, i) => {
      if (!m.name.trim()) errors[`members.${i}.name`] = required;
      const v = idMessage(m.idNumber);
      if (!v) errors[`members.${i}.idNumber`] = required;
      else if (!v.ok) errors[`members.${i}.idNumber`] = v.text;
    });
    if (!villageCode) errors.villageCode = required;
    if (!address.trim()) errors.address = required;
    if (!/^1\d{10}$/.test(phone)) errors.phone = t('apply.phoneInvalid');
    if (!/^\d{6}$/.test(phoneCode)) errors.phoneCode = required;
    if (!reason.trim()) errors.reason = required;
    if (!consent) errors.consent = t('apply.consentRequired');
    return errors;
  }

  function submit() {
    return send(check(), async () => {
      const res = await api<{ caseNo: string }>('POST', '/api/public/citizen-applications', {
        members: members.map((m) => ({ name: m.name.trim(), idNumber: m.idNumber.trim(), relation: m.relation })),
        villageCode,
        address: address.trim(),
        phone,
        phoneCode,
        reason: reason.trim(),
        emergency,
        consent: true,
        documents: photos.map((p) => p.dataUrl),
      });
      setCaseNo(res.caseNo);
      onDone(res.caseNo);
    });
  }

  if (caseNo)
    return (
      <DoneCard
        testId="h5-apply"
        title={t('apply.done')}
        label={t('apply.caseNo')}
        number={caseNo}
        keep={t('apply.keepNo')}
        action={t('apply.toProgress')}
        onAction={() => navigate('/m/progress')}
      />
    );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {members.map((m, i) => {
        const v = idMessage(m.idNumber);
        return (
          <section key={i} className="card" data-testid={`h5-member-${i}`}>
            <div className="row">
              <h2 className="grow">{i === 0 ? t('apply.applicant') : t('apply.member', { n: i })}</h2>
              {i > 0 && (
                <button type="button" className="link" onClick={() => setMembers((ms) => ms.filter((_, j) => j !== i))}>
                  {t('apply.removeMember')}
                </button>
              )}
            </div>
            <label className="field">
              <span>{t('apply.name')}</span>
              <input
                data-testid={`h5-name-${i}`}
                value={m.name}
                onChange={(e) => setMember(i, { name: e.target.value })}
              />
              {err(`members.${i}.name`)}
            </label>
            <label className="field">
              <span>{t('apply.idNumber')}</span>
              <input
                data-testid={`h5-id-${i}`}
                maxLength={18}
                autoCapitalize="characters"
                value={m.idNumber}
                onChange={(e) => setMember(i, { idNumber: e.target.value })}
              />
              {v && (
                <p className={v.ok ? 'ok' : 'error'} data-testid={`h5-id-check-${i}`}>
                  {v.text}
                </p>
              )}
              {!v && err(`members.${i}.idNumber`)}
            </label>
            {i > 0 && (
              <label className="field">
                <span>{t('apply.relation')}</span>
                <select
                  data-testid={`h5-relation-${i}`}
                  value={m.relation}
                  onChange={(e) => setMember(i, { relation: e.target.value as Member['relation'] })}
                >
                  {RELATIONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`relation.${r}` as H5Key)}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </section>
        );
      })}
      {members.length < 20 && (
        <p>
          <button
            type="button"
            data-testid="h5-add-member"
            onClick={() => setMembers((ms) => [...ms, { name: '', idNumber: '', relation: 'spouse' }])}
          >
            + {t('apply.addMember')}
          </button>
        </p>
      )}
      <section className="card">
        <VillagePicker
          testId="h5"
          value={villageCode}
          onChange={setVillageCode}
          onError={() => setError(t('app.network'))}
          villageError={err('villageCode')}
        />
        <label className="field">
          <span>{t('apply.address')}</span>
          <input
            data-testid="h5-address"
            placeholder={t('apply.addressHint')}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
          {err('address')}
        </label>
        <PhoneCodeFields
          testId="h5"
          phone={phone}
          onPhone={setPhone}
          code={phoneCode}
          onCode={setPhoneCode}
          send={() => api('POST', '/api/public/phone/code', { phone })}
          onError={setError}
          phoneError={err('phone')}
          codeError={err('phoneCode')}
        />
        <label className="field">
          <span>{t('apply.reason')}</span>
          <textarea
            data-testid="h5-reason"
            placeholder={t('apply.reasonHint')}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          {err('reason')}
        </label>
        <label className="check">
          <input type="checkbox" checked={emergency} onChange={(e) => setEmergency(e.target.checked)} />
          <span>{t('apply.emergency')}</span>
        </label>
      </section>
      <section className="card">
        <h2>{t('apply.documents')}</h2>
        <p className="muted">{t('apply.documentsHint')}</p>
        <div className="photos">
          {photos.map((p, i) => (
            <img key={i} src={p.dataUrl} alt="" data-testid="h5-photo" />
          ))}
        </div>
        {photos.length < 4 && (
          <label>
            <span className="muted">{t('apply.addPhoto')}</span>
            <input
              type="file"
              accept="image/*"
              capture="environment"
              multiple
              data-testid="h5-photo-input"
              onChange={(e) => void addPhotos(e.target.files)}
            />
          </label>
        )}
      </section>
      <label className="check">
        <input
          type="checkbox"
          data-testid="h5-consent"
          checked={consent}
          onChange={(e) => setConsent(e.target.checked)}
        />
        <span>{t('apply.consent')}</span>
      </label>
      {err('consent')}
      {error && (
        <p className="error" data-testid="h5-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="h5-submit" disabled={busy}>
        {busy ? t('apply.submitting') : t('apply.submit')}
      </button>
    </form>
  );
}
