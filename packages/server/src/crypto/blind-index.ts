import { createHash, createHmac } from 'node:crypto';

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

// SHA-256 (FIPS 180-4) round constants and initial state.
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Int32Array(64);

/** One SHA-256 compression of the 64 bytes of `b` at `off` into `st`. */
function compress(st: Int32Array, b: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    W[i] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = st[0]!;
  let b1 = st[1]!;
  let c = st[2]!;
  let d = st[3]!;
  let e = st[4]!;
  let f = st[5]!;
  let g = st[6]!;
  let h = st[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b1) ^ (a & c) ^ (b1 & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b1;
    b1 = a;
    a = (t1 + t2) | 0;
  }
  st[0] = (st[0]! + a) | 0;
  st[1] = (st[1]! + b1) | 0;
  st[2] = (st[2]! + c) | 0;
  st[3] = (st[3]! + d) | 0;
  st[4] = (st[4]! + e) | 0;
  st[5] = (st[5]! + f) | 0;
  st[6] = (st[6]! + g) | 0;
  st[7] = (st[7]! + h) | 0;
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * blindIndex for one key and domain, for hashing millions of values (a feed import). The HMAC's
 * two pad blocks are compressed once (their SHA-256 states kept); an ASCII value then costs two or
 * three block compressions in plain JavaScript on buffers made once, and no object or buffer per
 * value (a native one-shot hash per value cost twice as much, half of it in the call and its
 * result buffer). The same digest as blindIndex, which a non-ASCII value or one longer than 256
 * bytes goes through.
 */
export function blindIndexer(key: Buffer, domain: BlindIndexDomain): (value: string) => string {
  blindIndex('', key, domain); // the same checks of the key and the domain
  const k = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
  const pad = new Uint8Array(BLOCK);
  const innerStart = new Int32Array(IV);
  const outerStart = new Int32Array(IV);
  for (let i = 0; i < BLOCK; i++) pad[i] = (i < k.length ? k[i]! : 0) ^ 0x36;
  compress(innerStart, pad, 0);
  for (let i = 0; i < BLOCK; i++) pad[i] = (i < k.length ? k[i]! : 0) ^ 0x5c;
  compress(outerStart, pad, 0);
  const prefix = Buffer.from(`${domain}\0`, 'utf8');
  // The inner message after its pad block: domain, value, 0x80, zeros, the bit length (8 bytes).
  const message = new Uint8Array(Math.ceil((prefix.length + MAX_VALUE_BYTES + 9) / BLOCK) * BLOCK);
  message.set(prefix);
  const outerBlock = new Uint8Array(BLOCK); // the inner digest, 0x80, zeros, the bit length of 96 bytes
  outerBlock[32] = 0x80;
  outerBlock[62] = ((BLOCK + 32) * 8) >>> 8;
  outerBlock[63] = ((BLOCK + 32) * 8) & 0xff;
  const st = new Int32Array(8);
  const hex = Buffer.alloc(64);
  return (value: string) => {
    if (typeof value !== 'string') throw new TypeError('blindIndex expects a string value');
    if (value.length > MAX_VALUE_BYTES) return blindIndex(value, key, domain);
    let n = prefix.length;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) return blindIndex(value, key, domain);
      message[n++] = c;
    }
    const bits = (BLOCK + n) * 8;
    message[n++] = 0x80;
    const end = Math.ceil((n + 8) / BLOCK) * BLOCK;
    message.fill(0, n, end - 4);
    message[end - 4] = bits >>> 24;
    message[end - 3] = bits >>> 16;
    message[end - 2] = bits >>> 8;
    message[end - 1] = bits;
    st.set(innerStart);
    for (let off = 0; off < end; off += BLOCK) compress(st, message, off);
    for (let i = 0; i < 8; i++) {
      const x = st[i]!;
      outerBlock[i * 4] = x >>> 24;
      outerBlock[i * 4 + 1] = x >>> 16;
      outerBlock[i * 4 + 2] = x >>> 8;
      outerBlock[i * 4 + 3] = x;
    }
    st.set(outerStart);
    compress(st, outerBlock, 0);
    for (let i = 0; i < 8; i++) {
      const x = st[i]!;
      for (let j = 0; j < 8; j++) hex[i * 8 + j] = HEX[(x >>> (28 - 4 * j)) & 15]!;
    }
    return hex.toString('latin1', 0, 64);
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
