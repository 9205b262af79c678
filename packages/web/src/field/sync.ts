import {
  AgencyList,
  CareDuePage,
  CareVisitList,
  HouseholdPage,
  LeadPage,
  ReferralPage,
  ReviewPage,
} from '@jiuzhu/shared';
import { t } from './i18n';
import { cachedLeads, outbox, putCache, replaceLeads, updateItem, type CacheName, type CacheValues } from './store';

/** One sync at a time (the online event, the button and start-up can all ask at once). */
let running: Promise<void> | undefined;

type ApiError = { error?: { code?: string; message?: string; fields?: { path: string; message: string }[] } };

/**
 * Sends the pending outbox items in the order they were recorded, each with its Idempotency-Key
 * (a retry after a lost answer returns the first result), then refreshes the cached leads. A
 * network failure leaves the item pending for the next try; a refusal is kept with its message.
 */
export function syncNow(onChange: () => void): Promise<void> {
  running ??= (async () => {
    try {
      for (const item of await outbox()) {
        if (item.status !== 'pending') continue;
        let res: Response;
        try {
          res = await fetch(item.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': item.key },
            body: JSON.stringify(item.body),
          });
        } catch {
          return; // Offline again: the rest waits too.
        }
        if (res.ok) await updateItem(item.key, { status: 'sent', message: '', sentAt: new Date().toISOString() });
        else if (res.status === 401)
          return; // Signed out: sent after the next sign-in.
        else if (res.status >= 500 || res.status === 429) return;
        else {
          const body = (await res.json().catch(() => ({}))) as ApiError;
          const detail = body.error?.fields?.map((f) => f.message).join('；');
          const message = [body.error?.message, detail].filter(Boolean).join('：') || String(res.status);
          await updateItem(item.key, {
            status: res.status === 409 ? 'conflict' : 'failed',
            message: res.status === 409 ? t('outbox.conflict', { message }) : message,
          });
        }
        onChange();
      }
      await refreshLeads();
      await refreshCache();
    } finally {
      running = undefined;
      onChange();
    }
  })();
  return running;
}

/** My village's open leads, kept for offline use (names and ID numbers masked as the API gives them). */
export async function refreshLeads(): Promise<boolean> {
  try {
    const res = await fetch('/api/leads?status=open&pageSize=200');
    if (!res.ok) return false;
    const page = LeadPage.parse(await res.json());
    await replaceLeads(page.items, new Date().toISOString());
    return true;
  } catch {
    return false;
  }
}

/** Masks a name on the phone: the surname and stars (the kept copy carries no full names). */
export const maskName = (name: string) => {
  const chars = Array.from(name);
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
};

async function fetchInto<K extends CacheName>(
  key: K,
  url: string,
  parse: (body: unknown) => CacheValues[K],
): Promise<void> {
  try {
    const res = await fetch(url);
    if (res.ok) await putCache(key, parse(await res.json()), new Date().toISOString());
  } catch {
    // Offline: the last copy stays.
  }
}

/**
 * The worker's other lists kept for offline use: the village's households (masked on the phone),
 * the care-visit due list and recent care visits, the agencies to refer to and open referrals,
 * and the village's reviews (复核) waiting for their home visit (the step a grid worker records).
 */
export async function refreshCache(): Promise<void> {
  await Promise.all([
    fetchInto('households', '/api/households?pageSize=200', (b) =>
      HouseholdPage.parse(b).items.map((h) => ({
        id: h.id,
        householdNo: h.householdNo,
        headName: maskName(h.headName),
        headIdMasked: h.headIdMasked,
        memberCount: h.memberCount,
        assistanceStatus: h.assistanceStatus,
      })),
    ),
    fetchInto('careDue', '/api/care/due?pageSize=500', (b) => CareDuePage.parse(b).items),
    // Notes are personal data: the phone keeps the visit's date and finding, not the notes.
    fetchInto('careVisits', '/api/care/visits', (b) => CareVisitList.parse(b).items.map((v) => ({ ...v, notes: '' }))),
    fetchInto('agencies', '/api/referral-agencies?active=true', (b) => AgencyList.parse(b).items),
    fetchInto('referrals', '/api/referrals?open=true&pageSize=200', (b) => ReferralPage.parse(b).items),
    fetchInto('reviews', '/api/reviews?status=open&pageSize=200', (b) =>
      ReviewPage.parse(b).items.map((r) => ({
        id: r.id,
        kind: r.kind as 'dibao' | 'tekun' | 'dibao_edge',
        householdNo: r.householdNo,
        name: maskName(r.name),
        members: r.members,
        period: r.period,
        dueOn: r.dueOn,
        overdue: r.overdue,
      })),
    ),
  ]);
}

export { cachedLeads };
