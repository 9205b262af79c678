import { describe, expect, it } from 'vitest';
import { FieldCipher } from './cipher';
import { KeyringError, parseKeyring } from './keyring';

const current = Buffer.alloc(32, 0x55);
const old1 = Buffer.alloc(32, 0x66);
const old2 = Buffer.alloc(32, 0x77);
const b64 = (k: Buffer) => k.toString('base64');

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KeyringError);
    return (err as Error).message;
  }
  throw new Error('expected a KeyringError');
}

describe('parseKeyring', () => {
  it('makes the data key current and needs no old keys', () => {
    const ring = parseKeyring({ dataKey: current, version: 1, old: undefined });
    expect(ring.current).toBe(1);
    expect([...ring.keys.keys()]).toEqual([1]);
    expect(ring.keys.get(1)!.equals(current)).toBe(true);
    expect(parseKeyring({ dataKey: current, version: 1, old: '  ' }).keys.size).toBe(1);
  });

  it('reads old keys, with whitespace, a trailing comma and URL-safe base64', () => {
    const old = ` 1:${b64(old1)} ,\n 2 : ${old2.toString('base64url')},`;
    const ring = parseKeyring({ dataKey: current, version: 3, old });
    expect(ring.current).toBe(3);
    expect([...ring.keys.keys()].sort()).toEqual([1, 2, 3]);
    expect(ring.keys.get(1)!.equals(old1)).toBe(true);
    expect(ring.keys.get(2)!.equals(old2)).toBe(true);
  });

  it('gives a keyring that decrypts what the previous one wrote', () => {
    const v1 = new FieldCipher(parseKeyring({ dataKey: old1, version: 1, old: undefined }));
    const token = v1.encrypt('13812345678', 'member.phone');
    const v2 = new FieldCipher(parseKeyring({ dataKey: current, version: 2, old: `1:${b64(old1)}` }));
    expect(v2.decrypt(token, 'member.phone')).toBe('13812345678');
    expect(v2.needsRotation(token)).toBe(true);
  });

  it('explains every mistake without printing a key', () => {
    const cases: [Parameters<typeof parseKeyring>[0], RegExp][] = [
      [{ dataKey: current, version: 0, old: undefined }, /JIUZHU_DATA_KEY_VERSION must be an integer/],
      [{ dataKey: current, version: 1.5, old: undefined }, /JIUZHU_DATA_KEY_VERSION/],
      [{ dataKey: Buffer.alloc(16), version: 1, old: undefined }, /JIUZHU_DATA_KEY must be 32 bytes/],
      [{ dataKey: current, version: 2, old: b64(old1) }, /entry 1: expected <version>:<base64 key>/],
      [{ dataKey: current, version: 2, old: `x:${b64(old1)}` }, /entry 1: the version must be an integer/],
      [{ dataKey: current, version: 2, old: `01:${b64(old1)}` }, /entry 1: the version must be an integer/],
      [{ dataKey: current, version: 2, old: `2:${b64(old1)}` }, /version 2 is the current version/],
      [{ dataKey: current, version: 3, old: `1:${b64(old1)},1:${b64(old2)}` }, /entry 2: version 1 is listed twice/],
      [
        { dataKey: current, version: 3, old: `1:${b64(old1).slice(4)}` },
        /entry 1 \(version 1\): the key must be 32 bytes/,
      ],
      [{ dataKey: current, version: 3, old: `1:not base64!` }, /entry 1 \(version 1\): the key must be 32 bytes/],
      [{ dataKey: current, version: 3, old: `1:${b64(current)}` }, /same key as version 3/],
      [
        { dataKey: current, version: 3, old: `1:${b64(old1)},2:${b64(old1)}` },
        /entry 2 \(version 2\): same key as version 1/,
      ],
    ];
    for (const [input, expected] of cases) {
      const msg = message(() => parseKeyring(input));
      expect(msg).toMatch(expected);
      for (const k of [current, old1, old2]) {
        expect(msg).not.toContain(b64(k));
        expect(msg).not.toContain(b64(k).slice(4));
      }
    }
  });
});
