import { MAX_KEY_VERSION, type Keyring } from './cipher';

/** A keyring setting is wrong; the message names the variable and entry, never a key. */
export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}

const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;
const VERSION = /^[1-9]\d*$/;

function validVersion(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_KEY_VERSION;
}

/**
 * Builds the data keyring from config: `dataKey` (JIUZHU_DATA_KEY) is the current key under `version`
 * (JIUZHU_DATA_KEY_VERSION); `old` (JIUZHU_DATA_KEYS_OLD) lists retired keys still needed to decrypt,
 * as `<version>:<base64 key>` entries separated by commas (whitespace and a trailing comma are allowed).
 *
 * Rotation: generate a key, set it as JIUZHU_DATA_KEY with the next version, move the previous key into
 * JIUZHU_DATA_KEYS_OLD, re-encrypt (FieldCipher.reencrypt), and drop the old key once no row uses it.
 */
export function parseKeyring(input: { dataKey: Buffer; version: number; old: string | undefined }): Keyring {
  const { dataKey, version, old } = input;
  if (!validVersion(version)) {
    throw new KeyringError(`JIUZHU_DATA_KEY_VERSION must be an integer from 1 to ${MAX_KEY_VERSION}`);
  }
  if (!Buffer.isBuffer(dataKey) || dataKey.length !== 32) {
    throw new KeyringError('JIUZHU_DATA_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  }
  const keys = new Map<number, Buffer>([[version, Buffer.from(dataKey)]]);
  const entries = (old ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, i) => {
    const where = `JIUZHU_DATA_KEYS_OLD entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new KeyringError(`${where}: expected <version>:<base64 key>`);
    const v = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    const n = Number(v);
    if (!VERSION.test(v) || !validVersion(n)) {
      throw new KeyringError(`${where}: the version must be an integer from 1 to ${MAX_KEY_VERSION}`);
    }
    if (n === version) {
      throw new KeyringError(
        `${where}: version ${n} is the current version (JIUZHU_DATA_KEY_VERSION); list only older keys`,
      );
    }
    if (keys.has(n)) throw new KeyringError(`${where}: version ${n} is listed twice`);
    // Node's base64 decoder also reads the URL-safe alphabet, so both spellings are accepted.
    const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
    if (!key || key.length !== 32) {
      throw new KeyringError(
        `${where} (version ${n}): the key must be 32 bytes, base64-encoded (openssl rand -base64 32)`,
      );
    }
    for (const [other, k] of keys) {
      if (k.equals(key)) {
        throw new KeyringError(`${where} (version ${n}): same key as version ${other}; each version needs its own key`);
      }
    }
    keys.set(n, key);
  });
  return { current: version, keys };
}
