import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldCipher, FieldCipherError, type CipherAlgorithm, type Keyring } from './cipher';

const k1 = Buffer.alloc(32, 0x11);
const k2 = Buffer.alloc(32, 0x22);
const ring = (current: number, keys: Record<number, Buffer>): Keyring => ({
  current,
  keys: new Map(Object.entries(keys).map(([v, k]) => [Number(v), k])),
});
const ALGS: CipherAlgorithm[] = ['aes-256-gcm', 'sm4'];
const ID = '35030219900101123X';
const COLUMN = 'member.id_number';

// Full Unicode (astral planes included) plus dense CJK, so Chinese text is not left to chance.
const cjk = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)) });
const text = fc.oneof(fc.string({ unit: 'grapheme' }), cjk, fc.constant(''));

function thrown(fn: () => unknown): FieldCipherError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FieldCipherError);
    return err as FieldCipherError;
  }
  throw new Error('expected a FieldCipherError');
}

describe('primitives', () => {
  it('Node provides real SM4 and SM3 (GB/T 32907 and GB/T 32905 test vectors)', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    expect(Buffer.concat([c.update(key), c.final()]).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });
});

describe.each(ALGS)('FieldCipher %s', (alg) => {
  const cipher = new FieldCipher(ring(1, { 1: k1 }), alg);
  const algId = alg === 'sm4' ? 'sm4' : 'aes';

  it('round-trips any string, with and without a context', () => {
    fc.assert(
      fc.property(text, fc.option(fc.string(), { nil: undefined }), (plain, context) => {
        const token = cipher.encrypt(plain, context);
        expect(token).toMatch(new RegExp(`^v1\\.${algId}\\.[A-Za-z0-9_-]+$`));
        expect(cipher.decrypt(token, context)).toBe(plain);
      }),
    );
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
    expect(
      cipher.decrypt(cipher.encrypt('福建省莆田市城厢区灵川镇东沙村12号', 'member.address'), 'member.address'),
    ).toBe('福建省莆田市城厢区灵川镇东沙村12号');
  });

  it('uses a fresh IV each time and never shows the plaintext', () => {
    expect(cipher.encrypt(ID)).not.toBe(cipher.encrypt(ID));
    // Enough IVs to drain the pool of random bytes several times: none repeats, every token decrypts.
    const ivBytes = alg === 'sm4' ? 16 : 12;
    const tokens = Array.from({ length: 2000 }, () => cipher.encrypt(ID, COLUMN));
    expect(
      new Set(tokens.map((tk) => Buffer.from(tk.split('.')[2]!, 'base64url').subarray(0, ivBytes).toString('hex')))
        .size,
    ).toBe(2000);
    for (const tk of tokens) expect(cipher.decrypt(tk, COLUMN)).toBe(ID);
    fc.assert(
      fc.property(text, (plain) => {
        const bytes = Buffer.from(plain, 'utf8');
        // Below 8 bytes a chance match inside random bytes is likely, and would prove nothing.
        fc.pre(bytes.length >= 8);
        const token = cipher.encrypt(plain);
        const payload = Buffer.from(token.split('.')[2]!, 'base64url');
        expect(token.includes(plain)).toBe(false);
        expect(payload.includes(bytes)).toBe(false);
      }),
    );
    const repeated = 'A'.repeat(64);
    expect(Buffer.from(cipher.encrypt(repeated).split('.')[2]!, 'base64url').includes('AAAA')).toBe(false);
  });

  it('rejects every single-character change, truncation and extension of the token', () => {
    const token = cipher.encrypt(ID, COLUMN);
    const alphabet = 'AaZz09_-.v';
    for (let i = 0; i < token.length; i++) {
      for (const ch of alphabet) {
        if (ch === token[i]) continue;
        const altered = token.slice(0, i) + ch + token.slice(i + 1);
        expect(() => cipher.decrypt(altered, COLUMN), `position ${i} → ${ch}`).toThrow(FieldCipherError);
      }
    }
    for (let n = 0; n < token.length; n++)
      expect(() => cipher.decrypt(token.slice(0, n), COLUMN)).toThrow(FieldCipherError);
    for (const ch of 'AQg_-') expect(() => cipher.decrypt(token + ch, COLUMN)).toThrow(FieldCipherError);
  });

  it('rejects a flipped bit anywhere in the IV, ciphertext or tag', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.integer({ min: 0, max: 7 }), (plain, at, bit) => {
        const [v, a, body] = cipher.encrypt(plain, COLUMN).split('.') as [string, string, string];
        const payload = Buffer.from(body, 'base64url');
        payload[at % payload.length]! ^= 1 << bit;
        expect(() => cipher.decrypt(`${v}.${a}.${payload.toString('base64url')}`, COLUMN)).toThrow(FieldCipherError);
      }),
    );
  });

  it('binds the token to its context: another column or a missing context fails', () => {
    const token = cipher.encrypt(ID, COLUMN);
    expect(cipher.decrypt(token, COLUMN)).toBe(ID);
    const err = thrown(() => cipher.decrypt(token, 'member.phone'));
    expect(err.code).toBe('AUTHENTICATION_FAILED');
    expect(() => cipher.decrypt(token)).toThrow(FieldCipherError);
    expect(() => cipher.decrypt(cipher.encrypt(ID), COLUMN)).toThrow(FieldCipherError);
  });

  it('fails with the wrong key under the same version, without leaking plaintext, key or context', () => {
    const token = cipher.encrypt(ID, COLUMN);
    const other = new FieldCipher(ring(1, { 1: k2 }), alg);
    const err = thrown(() => other.decrypt(token, COLUMN));
    expect(err.code).toBe('AUTHENTICATION_FAILED');
    for (const secret of [ID, COLUMN, k1.toString('hex'), k1.toString('base64'), k2.toString('hex')]) {
      expect(err.message).not.toContain(secret);
      expect(String(err.stack)).not.toContain(secret);
    }
  });

  it('rejects the relabelling of a token as the other algorithm', () => {
    const [v, , body] = cipher.encrypt(ID).split('.') as [string, string, string];
    const swapped = `${v}.${algId === 'aes' ? 'sm4' : 'aes'}.${body}`;
    expect(() => cipher.decrypt(swapped)).toThrow(FieldCipherError);
  });
});

describe('FieldCipher across keys and algorithms', () => {
  it('decrypts a v1 token after v2 becomes current, and marks it for rotation', () => {
    const before = new FieldCipher(ring(1, { 1: k1 }));
    const token = before.encrypt(ID, COLUMN);
    expect(before.needsRotation(token)).toBe(false);

    const after = new FieldCipher(ring(2, { 1: k1, 2: k2 }));
    expect(after.decrypt(token, COLUMN)).toBe(ID);
    expect(after.needsRotation(token)).toBe(true);
    const rotated = after.reencrypt(token, COLUMN);
    expect(rotated.startsWith('v2.aes.')).toBe(true);
    expect(after.needsRotation(rotated)).toBe(false);
    expect(after.reencrypt(rotated, COLUMN)).toBe(rotated);
    expect(after.decrypt(rotated, COLUMN)).toBe(ID);
  });

  it('names an unknown key version clearly', () => {
    const token = new FieldCipher(ring(3, { 3: k2 })).encrypt(ID);
    const err = thrown(() => new FieldCipher(ring(2, { 1: k1, 2: k2 })).decrypt(token));
    expect(err.code).toBe('UNKNOWN_KEY_VERSION');
    expect(err.message).toContain('key version 3');
    expect(err.message).toContain('known: 1, 2');
    expect(err.message).toContain('JIUZHU_DATA_KEYS_OLD');
  });

  it('decrypts across an algorithm change and marks the old algorithm for rotation', () => {
    const keyring = ring(1, { 1: k1 });
    const aes = new FieldCipher(keyring, 'aes-256-gcm');
    const sm4 = new FieldCipher(keyring, 'sm4');
    const fromAes = aes.encrypt(ID, COLUMN);
    const fromSm4 = sm4.encrypt(ID, COLUMN);
    expect(fromAes.split('.')[1]).toBe('aes');
    expect(fromSm4.split('.')[1]).toBe('sm4');
    expect(fromSm4.split('.')[2]).not.toBe(fromAes.split('.')[2]);
    expect(sm4.decrypt(fromAes, COLUMN)).toBe(ID);
    expect(aes.decrypt(fromSm4, COLUMN)).toBe(ID);
    expect(sm4.needsRotation(fromAes)).toBe(true);
    expect(sm4.needsRotation(fromSm4)).toBe(false);
    expect(sm4.reencrypt(fromAes, COLUMN).startsWith('v1.sm4.')).toBe(true);
  });

  it('rejects malformed tokens and refuses strings that would not round-trip', () => {
    const cipher = new FieldCipher(ring(1, { 1: k1 }));
    const body = cipher.encrypt(ID).split('.')[2]!;
    for (const bad of ['', ID, 'v1.aes.', `v01.aes.${body}`, `v1.AES.${body}`, `v1.aes.${body}=`, `v1.des.${body}`]) {
      expect(thrown(() => cipher.decrypt(bad)).code).toBe('MALFORMED_TOKEN');
    }
    expect(() => cipher.needsRotation('plain text')).toThrow(FieldCipherError);
    expect(thrown(() => cipher.encrypt('a\uD800b')).code).toBe('INVALID_PLAINTEXT');
  });

  it('validates the keyring and shows no key material when logged', () => {
    expect(() => new FieldCipher(ring(2, { 1: k1 }))).toThrow(/current key version 2/);
    expect(() => new FieldCipher(ring(1, { 1: Buffer.alloc(16) }))).toThrow(/32 bytes/);
    expect(() => new FieldCipher(ring(1, { 1: k1 }), 'des' as CipherAlgorithm)).toThrow(FieldCipherError);
    const key = randomBytes(32);
    const cipher = new FieldCipher(ring(1, { 1: key }), 'sm4');
    const shown = inspect(cipher, { depth: 10, showHidden: true }) + JSON.stringify(cipher);
    expect(shown).not.toContain(key.toString('hex'));
    expect(shown).not.toContain(key.toString('base64'));
    expect(shown).not.toMatch(/[0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}/);
  });
});
