/**
 * A picked photo as the 离场补推 form shows it before saving: its name, size and, when small enough, a `data:` URL for
 * the thumbnail. Only the first bytes are read to tell JPEG or PNG; a large photo is never read whole for this.
 */
import { open, readFile } from 'node:fs/promises';
import {
  HEAD_BYTES,
  IMAGE_MAX_BYTES,
  ImageFileError,
  type ImageSource,
  imageKind,
  NOT_AN_IMAGE,
  tooLarge,
  unreadable,
} from './store.ts';

const MIME = { jpg: 'image/jpeg', png: 'image/png' } as const;

async function headOf(path: string): Promise<{ head: Uint8Array; size: number }> {
  const f = await open(path, 'r');
  try {
    const size = (await f.stat()).size;
    const head = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await f.read(head, 0, HEAD_BYTES, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await f.close();
  }
}

/** Refuses what submitExit would refuse (not JPEG/PNG, too large), so the person learns it on picking. */
export async function previewOf(
  source: ImageSource,
  thumbnailMax: number,
): Promise<{ name: string; size: number; dataUrl: string | null }> {
  let head: Uint8Array;
  let size: number;
  try {
    ({ head, size } =
      'bytes' in source ? { head: source.bytes, size: source.bytes.byteLength } : await headOf(source.path));
  } catch (e) {
    throw unreadable(source.name, e);
  }
  const kind = imageKind(head);
  if (!kind) throw new ImageFileError(NOT_AN_IMAGE);
  if (size > IMAGE_MAX_BYTES) throw new ImageFileError(tooLarge(size));
  if (size > thumbnailMax) return { name: source.name, size, dataUrl: null };
  let bytes: Uint8Array;
  try {
    bytes = 'bytes' in source ? source.bytes : await readFile(source.path);
  } catch (e) {
    throw unreadable(source.name, e);
  }
  return { name: source.name, size, dataUrl: `data:${MIME[kind]};base64,${Buffer.from(bytes).toString('base64')}` };
}
