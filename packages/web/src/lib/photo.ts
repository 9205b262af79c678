/**
 * Photos taken on a phone, made small enough for a slow network before they are kept or sent:
 * the long side at most 1600 px and the file at most 500 KB (JPEG, quality stepped down until it
 * fits). Redrawing drops the EXIF, so the photo's own time and GPS are read from the original
 * first and travel beside it. Used by the citizen H5 and the field app; no UI library here.
 */
export const PHOTO_MAX_SIDE = 1600;
export const PHOTO_MAX_BYTES = 500 * 1024;

export type CompressedPhoto = {
  /** data:image/jpeg;base64,… */
  dataUrl: string;
  bytes: number;
  width: number;
  height: number;
  /** When the photo was taken, from the original's EXIF (ISO); null when it carried none. */
  takenAt: string | null;
  /** Where, from the original's EXIF GPS; null when it carried none. */
  gps: { latitude: number; longitude: number } | null;
};

/** What a visit or care photo payload carries: the bytes and the photo's own time and place. */
export function photoPayload(p: CompressedPhoto): {
  data: string;
  takenAt?: string;
  latitude?: number;
  longitude?: number;
} {
  return {
    data: p.dataUrl,
    ...(p.takenAt ? { takenAt: p.takenAt } : {}),
    ...(p.gps ? { latitude: p.gps.latitude, longitude: p.gps.longitude } : {}),
  };
}

const DATE_TIME_ORIGINAL = 0x9003;
const OFFSET_TIME_ORIGINAL = 0x9011;

/** 'YYYY:MM:DD HH:MM:SS' (with its '+08:00' offset when the camera wrote one, else the phone's zone) → ISO. */
export function exifTimeToIso(value: unknown, offset: unknown): string | null {
  const m = typeof value === 'string' ? /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(value) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, sec] = m.map(Number) as [number, number, number, number, number, number, number];
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : null;
  const date = zone
    ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`)
    : new Date(y, mo - 1, d, h, mi, sec);
  return Number.isNaN(date.getTime()) || y < 1990 ? null : date.toISOString();
}

/** The original's EXIF time and GPS; nothing when it has none or cannot be read (never fails the photo). */
export async function readPhotoExif(file: Blob): Promise<Pick<CompressedPhoto, 'takenAt' | 'gps'>> {
  try {
    // The small build, loaded only when a photo is picked (the pages' first load stays light).
    const exifr = await import('exifr/dist/mini.esm.mjs');
    const out = await exifr.parse(file, {
      ifd0: false,
      exif: [DATE_TIME_ORIGINAL, OFFSET_TIME_ORIGINAL],
      gps: [1, 2, 3, 4],
      mergeOutput: false,
    });
    const lat = out?.gps?.latitude;
    const lng = out?.gps?.longitude;
    const gps =
      typeof lat === 'number' && typeof lng === 'number' && Math.abs(lat) <= 90 && Math.abs(lng) <= 180
        ? { latitude: lat, longitude: lng }
        : null;
    return {
      takenAt: exifTimeToIso(out?.exif?.[DATE_TIME_ORIGINAL], out?.exif?.[OFFSET_TIME_ORIGINAL]),
      gps,
    };
  } catch {
    return { takenAt: null, gps: null };
  }
}

async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (typeof createImageBitmap === 'function') {
    // The EXIF orientation is applied, so a portrait photo stays upright once redrawn.
    return createImageBitmap(file, { imageOrientation: 'from-image' });
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function toBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob failed'))), 'image/jpeg', quality),
  );
}

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

export async function compressPhoto(file: File | Blob): Promise<CompressedPhoto> {
  const exif = await readPhotoExif(file);
  const image = await decode(file);
  const w0 = image.width;
  const h0 = image.height;
  let scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(w0, h0));
  // Quality first, then size: a photo of a document stays legible at 0.5 on 1600 px.
  for (;;) {
    const width = Math.max(1, Math.round(w0 * scale));
    const height = Math.max(1, Math.round(h0 * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    ctx.drawImage(image, 0, 0, width, height);
    for (const quality of [0.82, 0.7, 0.6, 0.5]) {
      const blob = await toBlob(canvas, quality);
      if (blob.size <= PHOTO_MAX_BYTES) {
        if ('close' in image) image.close();
        return { dataUrl: await blobToDataUrl(blob), bytes: blob.size, width, height, ...exif };
      }
    }
    scale *= 0.8;
  }
}
