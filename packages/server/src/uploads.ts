import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidField } from './errors';

export type SavedUpload = { path: string; size: number; sha256: string };

/**
 * Streams an uploaded body to a file under `<dataDir>/uploads`, never holding it whole in
 * memory, refusing it (400 naming the field) past `limitBytes`, and hashing it on the way.
 * Large files are then processed off the request (see the register import).
 */
export async function saveUpload(
  body: NodeJS.ReadableStream,
  dataDir: string,
  limitBytes: number,
  field = 'file',
): Promise<SavedUpload> {
  const dir = path.join(dataDir, 'uploads');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.upload`);
  const hash = createHash('sha256');
  let size = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limitBytes)
        done(InvalidField(field, 'upload.fileTooLarge', { mb: Math.round(limitBytes / 1024 / 1024) }));
      else {
        hash.update(chunk);
        done(null, chunk);
      }
    },
  });
  try {
    await pipeline(body, counting, createWriteStream(file));
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return { path: file, size, sha256: hash.digest('hex') };
}

/** Removes an upload once processed (a missing file is fine). */
export async function removeUpload(file: string): Promise<void> {
  await rm(file, { force: true });
}
