/**
 * Photos taken on a phone, made small enough for a slow network before they are kept or sent:
 * the long side at most 1600 px and the file at most 500 KB (JPEG, quality stepped down until it
 * fits). Used by the citizen H5 and the field app; no UI library here.
 */
export const PHOTO_MAX_SIDE = 1600;
export const PHOTO_MAX_BYTES = 500 * 1024;

export type CompressedPhoto = {
  /** data:image/jpeg;base64,… */
  dataUrl: string;
  bytes: number;
  width: number;
  height: number;
  /** When the photo was taken as far as the phone tells (the file's time), ISO. */
  takenAt: string;
};

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
  const image = await decode(file);
  const w0 = image.width;
  const h0 = image.height;
  let scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(w0, h0));
  const takenAt = new Date(file instanceof File && file.lastModified ? file.lastModified : Date.now()).toISOString();
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
        return { dataUrl: await blobToDataUrl(blob), bytes: blob.size, width, height, takenAt };
      }
    }
    scale *= 0.8;
  }
}
