/**
 * The field app's data on the phone (IndexedDB): my village's open leads as last fetched, and
 * the outbox of what was recorded (visits, applications), each with its own Idempotency-Key so a
 * resend after a lost answer is harmless. Items leave the outbox only by being confirmed.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Agency, CareDue, CareVisit, LeadSummary, ReferralSummary } from '@jiuzhu/shared';

export type OutboxKind = 'visit' | 'application' | 'careVisit' | 'referral';
/** pending: not sent yet (or no network); sent: the server has it; conflict/failed: refused, with its message. */
export type OutboxStatus = 'pending' | 'sent' | 'conflict' | 'failed';
export type OutboxItem = {
  key: string;
  kind: OutboxKind;
  /** What the worker sees in the list (e.g. the person's name). */
  label: string;
  url: string;
  body: unknown;
  status: OutboxStatus;
  message: string;
  createdAt: string;
  sentAt: string | null;
};

interface FieldDB extends DBSchema {
  leads: { key: string; value: LeadSummary };
  outbox: { key: string; value: OutboxItem; indexes: { createdAt: string } };
  meta: { key: string; value: { key: string; value: string } };
  /** Lists kept for offline use (issue 17), each under its name, with when it was fetched. */
  cache: { key: string; value: { key: CacheName; value: unknown; at: string } };
}

/** A household of the worker's village as kept on the phone: masked, no ID number. */
export type CachedHousehold = {
  id: string;
  householdNo: string;
  headName: string;
  headIdMasked: string;
  memberCount: number;
  assistanceStatus: string;
};
/** A review (复核) of my village waiting for its home visit, as kept on the phone: name masked. */
export type CachedReview = {
  id: string;
  kind: 'dibao' | 'tekun' | 'dibao_edge';
  householdNo: string | null;
  name: string;
  members: number;
  period: string;
  dueOn: string;
  overdue: boolean;
};
export type CacheValues = {
  households: CachedHousehold[];
  careDue: CareDue[];
  careVisits: CareVisit[];
  agencies: Agency[];
  referrals: ReferralSummary[];
  reviews: CachedReview[];
};
export type CacheName = keyof CacheValues;

let dbPromise: Promise<IDBPDatabase<FieldDB>> | undefined;
export function fieldDb(): Promise<IDBPDatabase<FieldDB>> {
  dbPromise ??= openDB<FieldDB>('jiuzhu-field', 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('leads', { keyPath: 'id' });
        db.createObjectStore('outbox', { keyPath: 'key' }).createIndex('createdAt', 'createdAt');
        db.createObjectStore('meta', { keyPath: 'key' });
      }
      if (oldVersion < 2) db.createObjectStore('cache', { keyPath: 'key' });
    },
  });
  return dbPromise;
}

export async function replaceLeads(leads: LeadSummary[], at: string): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction(['leads', 'meta'], 'readwrite');
  await tx.objectStore('leads').clear();
  for (const l of leads) await tx.objectStore('leads').put(l);
  await tx.objectStore('meta').put({ key: 'leadsAt', value: at });
  await tx.done;
}

export async function cachedLeads(): Promise<{ leads: LeadSummary[]; at: string | null }> {
  const db = await fieldDb();
  const [leads, at] = await Promise.all([db.getAll('leads'), db.get('meta', 'leadsAt')]);
  return { leads: leads.sort((a, b) => a.dueDate.localeCompare(b.dueDate)), at: at?.value ?? null };
}

export async function enqueue(item: Omit<OutboxItem, 'status' | 'message' | 'createdAt' | 'sentAt'>): Promise<void> {
  const db = await fieldDb();
  await db.put('outbox', {
    ...item,
    status: 'pending',
    message: '',
    createdAt: new Date().toISOString(),
    sentAt: null,
  });
}

export async function outbox(): Promise<OutboxItem[]> {
  return (await fieldDb()).getAllFromIndex('outbox', 'createdAt');
}

export async function updateItem(key: string, patch: Partial<OutboxItem>): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  const item = await tx.store.get(key);
  if (item) await tx.store.put({ ...item, ...patch });
  await tx.done;
}

export async function putCache<K extends CacheName>(key: K, value: CacheValues[K], at: string): Promise<void> {
  await (await fieldDb()).put('cache', { key, value, at });
}

export async function getCache<K extends CacheName>(key: K): Promise<{ value: CacheValues[K]; at: string | null }> {
  const row = await (await fieldDb()).get('cache', key);
  return row
    ? { value: row.value as CacheValues[K], at: row.at }
    : { value: [] as unknown as CacheValues[K], at: null };
}
