/** A claim document's size limit (a phone photo or a scanned PDF). */
export const CLAIM_DOCUMENT_MAX_BYTES = 4 * 1024 * 1024;
export type DocumentType = 'application/pdf' | 'image/jpeg' | 'image/png';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The document's type from its first bytes (the declared type of an upload is not trusted). */
export function sniffDocument(bytes: Buffer): DocumentType | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && PNG.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}
