/**
 * COPY text written straight into a buffer as UTF-8: the bytes `Buffer.from(rows)` would give for
 * the rows built as strings (esc, JSON.stringify), without the strings. A feed import writes
 * ~120 bytes a row for millions of rows; built as JavaScript strings, each row was a tree of a
 * few dozen pieces kept alive until the chunk was encoded — measured, the string building and
 * the encoding were a third of the import's CPU, much of it in the garbage collector.
 */

const BACKSLASH = 0x5c;
const HEX = '0123456789abcdef';

export class CopyWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written (a view: the writer is not used after). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Drops what was written after `length` (a row that turned out bad). */
  truncate(length: number): void {
    this.pos = length;
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** A string as UTF-8, as it stands (already COPY text). */
  raw(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Bytes as they stand. */
  bytesOf(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A non-negative integer in decimal. */
  uint(n: number): void {
    if (n < 10) return this.byte(48 + n);
    const s = String(n);
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  /** A string known to be ASCII without COPY's special characters (digits, hex, dates). */
  ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A text value in COPY text format (esc), as UTF-8; a lone surrogate becomes U+FFFD as Buffer.from writes it. */
  text(s: string): void {
    this.room(s.length * 3 + 2);
    const buf = this.buf;
    let p = this.pos;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c === BACKSLASH) {
          buf[p++] = BACKSLASH;
          buf[p++] = BACKSLASH;
        } else if (c === 9 || c === 10 || c === 13) {
          buf[p++] = BACKSLASH;
          buf[p++] = c === 9 ? 0x74 : c === 10 ? 0x6e : 0x72;
        } else buf[p++] = c;
        continue;
      }
      const q = utf8(buf, p, s, i, c);
      if (q < 0) {
        p = -q;
        i++; // the low half of a pair
      } else p = q;
    }
    this.pos = p;
  }

  /**
   * A string as JSON.stringify writes it (quoted, escaped, lone surrogates as \udxxx), in COPY text
   * format (each backslash of the JSON doubled).
   */
  jsonString(s: string): void {
    // Worst case a character per 6 JSON bytes (\u001f), doubled backslash: 7.
    this.room(s.length * 7 + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x80) {
        if (c === 0x22 || c === BACKSLASH) {
          // JSON's escape, its backslash doubled for COPY; a backslash itself doubled again.
          buf[p++] = BACKSLASH;
          buf[p++] = BACKSLASH;
          if (c === BACKSLASH) buf[p++] = BACKSLASH;
        }
        buf[p++] = c;
        continue;
      }
      if (c < 0x20) {
        buf[p++] = BACKSLASH;
        buf[p++] = BACKSLASH;
        const short = c === 8 ? 0x62 : c === 12 ? 0x66 : c === 10 ? 0x6e : c === 13 ? 0x72 : c === 9 ? 0x74 : 0;
        if (short) buf[p++] = short;
        else {
          buf[p++] = 0x75; // u00xx
          buf[p++] = 0x30;
          buf[p++] = 0x30;
          buf[p++] = HEX.charCodeAt(c >> 4);
          buf[p++] = HEX.charCodeAt(c & 15);
        }
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff && !(c <= 0xdbff && isLow(s.charCodeAt(i + 1)))) {
        // A lone surrogate: JSON.stringify escapes it (\udxxx, lowercase).
        buf[p++] = BACKSLASH;
        buf[p++] = BACKSLASH;
        buf[p++] = 0x75;
        for (let shift = 12; shift >= 0; shift -= 4) buf[p++] = HEX.charCodeAt((c >> shift) & 15);
        continue;
      }
      const q = utf8(buf, p, s, i, c);
      if (q < 0) {
        p = -q;
        i++;
      } else p = q;
    }
    buf[p++] = 0x22;
    this.pos = p;
  }
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Writes the non-ASCII character c (at i of s) as UTF-8 at p; returns the next position, negated
 * when a surrogate pair (two characters of s) was written. A lone surrogate is U+FFFD.
 */
function utf8(buf: Buffer, p: number, s: string, i: number, c: number): number {
  if (c < 0x800) {
    buf[p++] = 0xc0 | (c >> 6);
    buf[p++] = 0x80 | (c & 63);
    return p;
  }
  if (c >= 0xd800 && c <= 0xdfff) {
    const d = s.charCodeAt(i + 1);
    if (c <= 0xdbff && isLow(d)) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      buf[p++] = 0xf0 | (cp >> 18);
      buf[p++] = 0x80 | ((cp >> 12) & 63);
      buf[p++] = 0x80 | ((cp >> 6) & 63);
      buf[p++] = 0x80 | (cp & 63);
      return -p;
    }
    c = 0xfffd;
  }
  buf[p++] = 0xe0 | (c >> 12);
  buf[p++] = 0x80 | ((c >> 6) & 63);
  buf[p++] = 0x80 | (c & 63);
  return p;
}
