import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomFillSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

/**
 * Field-level encryption of personal data at rest (ID numbers, phones, bank accounts, address text).
 *
 * Token: `v<keyVersion>.<alg>.<base64url(iv | ciphertext | tag)>`, e.g. `v2.aes.3q2-…`.
 *   - `aes`: AES-256-GCM, 12-byte random IV, 16-byte tag. Key: HKDF-SHA256(master, info "jiuzhu/field/aes-256-gcm").
 *   - `sm4`: SM4-CTR + HMAC-SM3 (encrypt-then-MAC; Node's OpenSSL has no sm4-gcm), 16-byte random IV,
 *     32-byte tag over (aad, iv, ciphertext). Keys: HKDF-SM3(master) with info "jiuzhu/field/sm4-ctr" (16 bytes)
 *     and "jiuzhu/field/hmac-sm3" (32 bytes), so this suite uses SM-series primitives only.
 * Each suite derives its own subkeys, so one master key may serve both algorithms during a migration without
 * the same key bytes ever being used by two primitives.
 *
 * The header (`v<n>.<alg>`) and the optional context string (e.g. the column name `member.id_number`) are
 * authenticated: a token copied to another column, or relabelled with another version or algorithm, fails.
 */

export type CipherAlgorithm = 'aes-256-gcm' | 'sm4';
export const CIPHER_ALGORITHMS: readonly CipherAlgorithm[] = ['aes-256-gcm', 'sm4'];

/** Master keys by version; `current` encrypts, every listed version decrypts. Keys are 32 bytes. */
export type Keyring = { current: number; keys: ReadonlyMap<number, Buffer> };

export const MAX_KEY_VERSION = 999_999;

export type FieldCipherErrorCode =
  'MALFORMED_TOKEN' | 'UNKNOWN_KEY_VERSION' | 'AUTHENTICATION_FAILED' | 'INVALID_PLAINTEXT' | 'INVALID_KEYRING';

/** Messages name the failure and at most the key version and algorithm: never a key, plaintext or context. */
export class FieldCipherError extends Error {
  override readonly name = 'FieldCipherError';
  constructor(
    readonly code: FieldCipherErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type AlgId = 'aes' | 'sm4';
const ALG_ID: Record<CipherAlgorithm, AlgId> = { 'aes-256-gcm': 'aes', sm4: 'sm4' };
const ALG_BY_ID: Record<AlgId, CipherAlgorithm> = { aes: 'aes-256-gcm', sm4: 'sm4' };

const GCM_IV = 12;
const GCM_TAG = 16;
const SM4_IV = 16;
const SM3_TAG = 32;

// Random bytes for IVs, drawn from the operating system a few kilobytes at a time: one system call
// per IV was two fifths of the time of encrypting a field (a register import encrypts four per
// person). Each byte is handed out once and copied out, so no two IVs share bytes.
const ivPool = Buffer.alloc(4096);
let ivPoolUsed = ivPool.length;

function freshIv(bytes: number): Buffer {
  if (ivPoolUsed + bytes > ivPool.length) {
    randomFillSync(ivPool);
    ivPoolUsed = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivPoolUsed, ivPoolUsed + bytes));
  ivPoolUsed += bytes;
  return iv;
}

const LONE_SURROGATE = /\p{Cs}/u;

// Version without leading zeros, and strict base64url without padding: any other spelling of the same bytes is
// rejected so that a token has exactly one valid form (see the canonical check in parse).
const TOKEN = /^v([1-9]\d{0,5})\.(aes|sm4)\.([A-Za-z0-9_-]+)$/;

type SubKeys = { aes: KeyObject; sm4Enc: KeyObject; sm4Mac: KeyObject };

function derive(master: Buffer): SubKeys {
  const hkdf = (digest: string, info: string, length: number) =>
    createSecretKey(Buffer.from(hkdfSync(digest, master, Buffer.alloc(0), info, length)));
  return {
    aes: hkdf('sha256', 'jiuzhu/field/aes-256-gcm', 32),
    sm4Enc: hkdf('sm3', 'jiuzhu/field/sm4-ctr', 16),
    sm4Mac: hkdf('sm3', 'jiuzhu/field/hmac-sm3', 32),
  };
}

/** Authenticated data: the token header, a NUL (never in a header), then the caller's context. */
function associatedData(header: string, context: string | undefined): Buffer {
  return Buffer.from(`${header}\0${context ?? ''}`, 'utf8');
}

function sm4Tag(key: KeyObject, aad: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  const aadLength = Buffer.alloc(4);
  aadLength.writeUInt32BE(aad.length);
  return createHmac('sm3', key).update(aadLength).update(aad).update(iv).update(ciphertext).digest();
}

type ParsedToken = { version: number; algorithm: CipherAlgorithm; header: string; payload: Buffer };

function parse(token: string): ParsedToken {
  const m = typeof token === 'string' ? TOKEN.exec(token) : null;
  if (!m) throw new FieldCipherError('MALFORMED_TOKEN', 'Not a field-cipher token (expected v<n>.<alg>.<base64url>)');
  const [, v, id, body] = m as unknown as [string, string, AlgId, string];
  const payload = Buffer.from(body, 'base64url');
  // Node's base64url decoder ignores unused trailing bits; re-encoding catches a changed last character.
  if (payload.toString('base64url') !== body) {
    throw new FieldCipherError('MALFORMED_TOKEN', 'Field-cipher token payload is not canonical base64url');
  }
  return { version: Number(v), algorithm: ALG_BY_ID[id], header: `v${v}.${id}`, payload };
}

/**
 * Encrypts and decrypts single column values. Holds only derived subkeys (as KeyObjects, in private fields),
 * so logging or serialising an instance shows no key material.
 */
export class FieldCipher {
  readonly #keys = new Map<number, SubKeys>();
  readonly #current: number;
  readonly #algorithm: CipherAlgorithm;

  constructor(keyring: Keyring, algorithm: CipherAlgorithm = 'aes-256-gcm') {
    if (!CIPHER_ALGORITHMS.includes(algorithm)) {
      throw new FieldCipherError(
        'INVALID_KEYRING',
        `Unknown cipher algorithm (expected ${CIPHER_ALGORITHMS.join(' or ')})`,
      );
    }
    for (const [version, key] of keyring.keys) {
      if (!Number.isInteger(version) || version < 1 || version > MAX_KEY_VERSION) {
        throw new FieldCipherError('INVALID_KEYRING', `Key version must be an integer 1..${MAX_KEY_VERSION}`);
      }
      if (!Buffer.isBuffer(key) || key.length !== 32) {
        throw new FieldCipherError('INVALID_KEYRING', `Key version ${version} must be 32 bytes`);
      }
      this.#keys.set(version, derive(key));
    }
    if (!this.#keys.has(keyring.current)) {
      throw new FieldCipherError('INVALID_KEYRING', `The current key version ${keyring.current} is not in the keyring`);
    }
    this.#current = keyring.current;
    this.#algorithm = algorithm;
  }

  get currentVersion(): number {
    return this.#current;
  }

  /** The prefix every token written now starts with, e.g. `v2.sm4.`: anything else needs rotation. */
  get currentPrefix(): string {
    return `v${this.#current}.${ALG_ID[this.#algorithm]}.`;
  }

  get algorithm(): CipherAlgorithm {
    return this.#algorithm;
  }

  /** Encrypts with the current key and algorithm; `context` (e.g. `member.id_number`) must be given again to decrypt. */
  encrypt(plaintext: string, context?: string): string {
    if (typeof plaintext !== 'string') throw new TypeError('FieldCipher.encrypt expects a string');
    // A lone surrogate would silently become U+FFFD in UTF-8 and not round-trip: refuse rather than corrupt.
    if (LONE_SURROGATE.test(plaintext)) {
      throw new FieldCipherError('INVALID_PLAINTEXT', 'Plaintext is not well-formed Unicode (lone surrogate)');
    }
    const keys = this.#keys.get(this.#current)!;
    const header = `v${this.#current}.${ALG_ID[this.#algorithm]}`;
    const aad = associatedData(header, context);
    const data = Buffer.from(plaintext, 'utf8');
    let payload: Buffer;
    if (this.#algorithm === 'aes-256-gcm') {
      const iv = freshIv(GCM_IV);
      const c = createCipheriv('aes-256-gcm', keys.aes, iv, { authTagLength: GCM_TAG });
      c.setAAD(aad);
      const ciphertext = Buffer.concat([c.update(data), c.final()]);
      payload = Buffer.concat([iv, ciphertext, c.getAuthTag()]);
    } else {
      const iv = freshIv(SM4_IV);
      const c = createCipheriv('sm4-ctr', keys.sm4Enc, iv);
      const ciphertext = Buffer.concat([c.update(data), c.final()]);
      payload = Buffer.concat([iv, ciphertext, sm4Tag(keys.sm4Mac, aad, iv, ciphertext)]);
    }
    return `${header}.${payload.toString('base64url')}`;
  }

  /** Decrypts a token of any known key version and either algorithm; throws FieldCipherError otherwise. */
  decrypt(token: string, context?: string): string {
    const t = parse(token);
    const keys = this.#keys.get(t.version);
    if (!keys) {
      const known = [...this.#keys.keys()].sort((a, b) => a - b).join(', ');
      throw new FieldCipherError(
        'UNKNOWN_KEY_VERSION',
        `Field encrypted with key version ${t.version}, which is not in the keyring (known: ${known}); ` +
          'add it to JIUZHU_DATA_KEYS_OLD',
      );
    }
    const aad = associatedData(t.header, context);
    const failed = () =>
      new FieldCipherError(
        'AUTHENTICATION_FAILED',
        `Field decryption failed for ${t.header}: wrong key, wrong context or altered value`,
      );
    if (t.algorithm === 'aes-256-gcm') {
      if (t.payload.length < GCM_IV + GCM_TAG) throw failed();
      const iv = t.payload.subarray(0, GCM_IV);
      const tag = t.payload.subarray(t.payload.length - GCM_TAG);
      const d = createDecipheriv('aes-256-gcm', keys.aes, iv, { authTagLength: GCM_TAG });
      d.setAAD(aad);
      d.setAuthTag(tag);
      const update = d.update(t.payload.subarray(GCM_IV, t.payload.length - GCM_TAG));
      try {
        return Buffer.concat([update, d.final()]).toString('utf8');
      } catch {
        throw failed();
      }
    }
    if (t.payload.length < SM4_IV + SM3_TAG) throw failed();
    const iv = t.payload.subarray(0, SM4_IV);
    const ciphertext = t.payload.subarray(SM4_IV, t.payload.length - SM3_TAG);
    const tag = t.payload.subarray(t.payload.length - SM3_TAG);
    if (!timingSafeEqual(tag, sm4Tag(keys.sm4Mac, aad, iv, ciphertext))) throw failed();
    const d = createDecipheriv('sm4-ctr', keys.sm4Enc, iv);
    return Buffer.concat([d.update(ciphertext), d.final()]).toString('utf8');
  }

  /** True when the token was written with another key version or algorithm than the current ones. */
  needsRotation(token: string): boolean {
    const t = parse(token);
    return t.version !== this.#current || t.algorithm !== this.#algorithm;
  }

  /** The token itself when current, else the value re-encrypted with the current key and algorithm. */
  reencrypt(token: string, context?: string): string {
    return this.needsRotation(token) ? this.encrypt(this.decrypt(token, context), context) : token;
  }
}
