import { LEAD_PHOTO_MAX_BYTES, type FieldError } from '@jiuzhu/shared';

/** A photo taken on a visit or a survey, as stored (JPEG or PNG, at most 2 MB). */
export type Photo = { contentType: 'image/jpeg' | 'image/png'; bytes: Buffer };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image type from the first bytes (the declared type of an upload is not trusted). */
function sniffImage(bytes: Buffer): Photo['contentType'] | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && PNG.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

/**
 * Decodes an uploaded photo (base64, optionally a data: URL) and checks it by its content:
 * the photo, or why it is refused ('type': not a JPEG/PNG or not base64; 'tooLarge').
 */
export function decodePhoto(data: string): Photo | 'type' | 'tooLarge' {
  const base64 = data.replace(/^data:[\w/+.-]+;base64,/, '').replace(/\s/g, '');
  const bytes = BASE64.test(base64) ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
  const contentType = sniffImage(bytes);
  if (!contentType) return 'type';
  if (bytes.length > LEAD_PHOTO_MAX_BYTES) return 'tooLarge';
  return { contentType, bytes };
}

/**
 * Decodes the photos of a form: the accepted ones, in order; each refused one adds a field error at
 * `${path}.${i}` with the form's message for its reason.
 */
export function decodePhotos(
  data: readonly string[],
  path: string,
  messages: { type: string; tooLarge: string },
  fields: FieldError[],
): Photo[] {
  const photos: Photo[] = [];
  data.forEach((d, i) => {
    const photo = decodePhoto(d);
    if (photo === 'type' || photo === 'tooLarge') fields.push({ path: `${path}.${i}`, message: messages[photo] });
    else photos.push(photo);
  });
  return photos;
}

/** A photo's own time and place as the phone read them from the original's EXIF. */
export type PhotoExif = { takenAt?: string; latitude?: number; longitude?: number };

/** The stored columns of a photo's EXIF time and place (coordinates only as a pair). */
export function photoMetaColumns(exif: PhotoExif | undefined): {
  taken_at: Date | null;
  latitude: number | null;
  longitude: number | null;
} {
  const paired = exif?.latitude !== undefined && exif?.longitude !== undefined;
  return {
    taken_at: exif?.takenAt ? new Date(exif.takenAt) : null,
    latitude: paired ? exif.latitude! : null,
    longitude: paired ? exif.longitude! : null,
  };
}

/** A stored photo's time and place for the API (ISO time, degrees), null where none was kept. */
export function toPhotoMeta(r: {
  n: number;
  taken_at: Date | null;
  latitude: number | null;
  longitude: number | null;
}): { n: number; takenAt: string | null; latitude: number | null; longitude: number | null } {
  return {
    n: r.n,
    takenAt: r.taken_at ? new Date(r.taken_at).toISOString() : null,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
  };
}
