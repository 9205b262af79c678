import { createHash, createHmac, hash } from 'node:crypto';

/**
 * Blind indexes: deterministic keyed hashes of personal data for equality lookups and joins, so the plaintext
 * column can stay encrypted. HMAC-SHA256(indexKey, domain || 0x00 || value), lowercase hex (64 characters).
 *
 * The domain separates kinds of value: a phone number and an ID number that happen to be equal strings hash
 * differently, and an index of one kind cannot be joined against another. Changing the key or a domain
 * changes every hash, so both are fixed for the life of the data (re-keying means re-hashing every row).
 */

const DOMAIN = /^[a-z][a-z0-9_.-]{0,63}$/;

export type BlindIndexDomain = 'id_number' | 'phone' | 'bank_account' | (string & {});

export function blindIndex(value: string, key: Buffer, domain: BlindIndexDomain): string {
  if (typeof value !== 'string') throw new TypeError('blindIndex expects a string value');
  if (!Buffer.isBuffer(key) || key.length < 32) throw new TypeError('blindIndex key must be at least 32 bytes');
  if (!DOMAIN.test(domain)) throw new TypeError('blindIndex domain must match /^[a-z][a-z0-9_.-]{0,63}$/');
  return createHmac('sha256', key).update(`${domain}\0`, 'utf8').update(value, 'utf8').digest('hex');
}

// Normalised: 18 characters with an uppercase X, 15-digit legacy numbers, or other uppercase document numbers.
const NORMALISED_ID = /^[0-9A-Z]+$/;

/**
 * The ID-number blind index (idHash). The caller normalises first (trim, uppercase `x`, full-width to ASCII):
 * a lowercase or padded number would hash differently and silently miss every join, so it is refused here.
 */
export function idHash(normalisedIdNumber: string, indexKey: Buffer): string {
  if (typeof normalisedIdNumber !== 'string' || !NORMALISED_ID.test(normalisedIdNumber)) {
    throw new TypeError('idHash expects a normalised ID number (digits and uppercase letters only)');
  }
  return blindIndex(normalisedIdNumber, indexKey, 'id_number');
}

const BLOCK = 64; // SHA-256 block size
const MAX_VALUE_BYTES = 256;

/**
 * blindIndex for one key and domain, for hashing millions of values (a feed import): the key's
 * HMAC pads are computed once and each value costs two one-shot SHA-256 hashes, without an Hmac
 * object per call (their native handles were a third of the import's garbage collection). The
 * same digest as blindIndex; a value longer than 256 bytes goes through blindIndex.
 */
export function blindIndexer(key: Buffer, domain: BlindIndexDomain): (value: string) => string {
  blindIndex('', key, domain); // the same checks of the key and the domain
  const k = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
  const prefix = BLOCK + Buffer.byteLength(`${domain}\0`, 'utf8');
  const inner = Buffer.alloc(prefix + MAX_VALUE_BYTES);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const b = i < k.length ? k[i]! : 0;
    inner[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  inner.write(`${domain}\0`, BLOCK, 'utf8');
  return (value: string) => {
    if (typeof value !== 'string') throw new TypeError('blindIndex expects a string value');
    if (value.length * 3 > MAX_VALUE_BYTES && Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
      return blindIndex(value, key, domain);
    }
    const n = inner.write(value, prefix, 'utf8');
    hash('sha256', inner.subarray(0, prefix + n), 'buffer').copy(outer, BLOCK);
    return hash('sha256', outer, 'hex');
  };
}

/** idHash for one key (see blindIndexer). */
export function idHasher(indexKey: Buffer): (normalisedIdNumber: string) => string {
  const index = blindIndexer(indexKey, 'id_number');
  return (normalisedIdNumber) => {
    if (typeof normalisedIdNumber !== 'string' || !NORMALISED_ID.test(normalisedIdNumber)) {
      throw new TypeError('idHash expects a normalised ID number (digits and uppercase letters only)');
    }
    return index(normalisedIdNumber);
  };
}
