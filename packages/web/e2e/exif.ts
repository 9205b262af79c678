/**
 * A tiny EXIF writer for tests: puts an APP1 segment with DateTimeOriginal and GPS latitude and
 * longitude into a JPEG (after its SOI and any APP0), as a camera would.
 */
export type ExifFacts = {
  /** As a camera writes it: 'YYYY:MM:DD HH:MM:SS' (the phone's local time). */
  dateTimeOriginal: string;
  latitude: number;
  longitude: number;
};

function rationals(degrees: number): Buffer {
  const abs = Math.abs(degrees);
  const d = Math.floor(abs);
  const m = Math.floor((abs - d) * 60);
  const s = Math.round(((abs - d) * 60 - m) * 60 * 10_000);
  const b = Buffer.alloc(24);
  [d, 1, m, 1, s, 10_000].forEach((v, i) => b.writeUInt32BE(v, i * 4));
  return b;
}

function entry(tag: number, type: number, count: number, value: Buffer | number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(tag, 0);
  b.writeUInt16BE(type, 2);
  b.writeUInt32BE(count, 4);
  if (typeof value === 'number') b.writeUInt32BE(value, 8);
  else value.copy(b, 8);
  return b;
}

function ifd(entries: Buffer[]): Buffer {
  const count = Buffer.alloc(2);
  count.writeUInt16BE(entries.length);
  return Buffer.concat([count, ...entries, Buffer.alloc(4)]);
}

const ASCII = 2;
const LONG = 4;
const RATIONAL = 5;

/** The JPEG with an EXIF segment carrying the facts. */
export function withExif(jpeg: Buffer, facts: ExifFacts): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  // Offsets are from the start of the TIFF header; the layout is fixed (see the sizes below).
  const ifd0At = 8;
  const exifAt = ifd0At + 2 + 2 * 12 + 4; // 38
  const dateAt = exifAt + 2 + 12 + 4; // 56
  const gpsAt = dateAt + 20; // 76
  const latAt = gpsAt + 2 + 4 * 12 + 4; // 130
  const lngAt = latAt + 24; // 154
  const header = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]);
  const ifd0 = ifd([entry(0x8769, LONG, 1, exifAt), entry(0x8825, LONG, 1, gpsAt)]);
  const exif = ifd([entry(0x9003, ASCII, 20, dateAt)]);
  const date = Buffer.alloc(20);
  date.write(facts.dateTimeOriginal, 'ascii');
  const ref = (c: string) => Buffer.from([c.charCodeAt(0), 0, 0, 0]);
  const gps = ifd([
    entry(0x0001, ASCII, 2, ref(facts.latitude >= 0 ? 'N' : 'S')),
    entry(0x0002, RATIONAL, 3, latAt),
    entry(0x0003, ASCII, 2, ref(facts.longitude >= 0 ? 'E' : 'W')),
    entry(0x0004, RATIONAL, 3, lngAt),
  ]);
  const tiff = Buffer.concat([header, ifd0, exif, date, gps, rationals(facts.latitude), rationals(facts.longitude)]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), Buffer.from('Exif\0\0', 'binary'), tiff]);
  app1.writeUInt16BE(app1.length - 2, 2);
  // After APP0 (JFIF) when there is one, so the file reads as a camera's.
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, at), app1, jpeg.subarray(at)]);
}
