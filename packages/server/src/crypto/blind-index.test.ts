import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blindIndex, blindIndexer, idHash, idHasher } from './blind-index';

const key = Buffer.alloc(32, 0x33);
const otherKey = Buffer.alloc(32, 0x44);
const ID = '35030219900101123X';

describe('blind index', () => {
  it('is deterministic hex HMAC-SHA256 over the domain-separated value', () => {
    expect(idHash(ID, key)).toBe(idHash(ID, key));
    expect(idHash(ID, key)).toMatch(/^[0-9a-f]{64}$/);
    expect(idHash(ID, key)).toBe(createHmac('sha256', key).update(`id_number\0${ID}`).digest('hex'));
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('phone', 'bank_account', 'member.name'), (value, domain) => {
        expect(blindIndex(value, key, domain)).toBe(blindIndex(value, key, domain));
      }),
    );
  });

  it('gives the same digests with the pads computed once (blindIndexer, idHasher)', () => {
    for (const k of [key, Buffer.alloc(64, 0x5a), Buffer.alloc(100, 0x17)]) {
      for (const domain of ['id_number', 'phone', 'member.name']) {
        const index = blindIndexer(k, domain);
        fc.assert(
          fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 200 })), (value) => {
            expect(index(value)).toBe(blindIndex(value, k, domain));
          }),
        );
        for (const value of ['', 'x'.repeat(256), 'x'.repeat(300), '林'.repeat(85), '林'.repeat(86)]) {
          expect(index(value)).toBe(blindIndex(value, k, domain));
        }
      }
      expect(idHasher(k)(ID)).toBe(idHash(ID, k));
    }
    expect(() => idHasher(key)('35030219900101123x')).toThrow(TypeError);
    expect(() => blindIndexer(Buffer.alloc(16), 'phone')).toThrow(/32 bytes/);
  });

  it('differs per key, per domain and per value', () => {
    expect(idHash(ID, key)).not.toBe(idHash(ID, otherKey));
    expect(idHash(ID, key)).not.toBe(idHash('350302199001011234', key));
    const digits = '13812345678';
    expect(blindIndex(digits, key, 'phone')).not.toBe(blindIndex(digits, key, 'id_number'));
    expect(blindIndex(digits, key, 'id_number')).toBe(idHash(digits, key));
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(blindIndex(value, key, 'phone')).not.toBe(blindIndex(value, key, 'bank_account'));
        expect(blindIndex(value, key, 'phone')).not.toBe(blindIndex(value, otherKey, 'phone'));
      }),
    );
  });

  it('refuses a non-normalised ID number, a short key and an unsafe domain, without echoing the value', () => {
    for (const bad of ['35030219900101123x', ` ${ID}`, `${ID}\n`, '', '３５０３']) {
      expect(() => idHash(bad, key)).toThrow(TypeError);
    }
    try {
      idHash('35030219900101123x', key);
    } catch (err) {
      expect((err as Error).message).not.toContain('350302');
    }
    expect(() => idHash(ID, Buffer.alloc(16))).toThrow(/32 bytes/);
    for (const domain of ['', 'Phone', 'id\0number', 'a'.repeat(65)]) {
      expect(() => blindIndex('x', key, domain)).toThrow(TypeError);
    }
  });
});
