// exifr's small build (JPEG, TIFF, EXIF and GPS blocks; no tag names): the same API as the full one.
declare module 'exifr/dist/mini.esm.mjs' {
  export function parse(
    input: Blob | ArrayBuffer | Uint8Array,
    options: Record<string, unknown>,
  ): Promise<Record<string, Record<string, unknown>> | undefined>;
  export function gps(
    input: Blob | ArrayBuffer | Uint8Array,
  ): Promise<{ latitude: number; longitude: number } | undefined>;
}
