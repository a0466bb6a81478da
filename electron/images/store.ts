/**
 * The data folder's own copies of the photos an exit record sends (`<dataDir>/images/`). A record points at its copy,
 * never at the picked original: the original may be moved or deleted long before the worker sends, and the MD5 the
 * platform checks is taken when it is sent. A copy is streamed (a 20 MB photo is never held whole), hashed while it is
 * written, written under a temporary name, fsync'd and renamed, all before the caller commits the record: a record
 * never points at a half-written file. Names are content-addressed, so saving the same photo again stores nothing new.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The largest photo the console copies for an exit (the platform publishes no limit; booth cameras give ~1 MB). */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** A temporary copy's name starts so: retention removes one left by a crash. */
export const TEMP_PREFIX = '.tmp-';

export type ImageKind = 'jpg' | 'png';

/** A photo to copy: bytes received by the preview host, or a path (the Electron dialog, a CLI file). */
export type ImageSource = { name: string; bytes: Uint8Array } | { name: string; path: string };

export interface CopiedImage {
  /** The copy's absolute path: what the record's `X_file` holds. */
  path: string;
  /** The original's name, for the person. */
  name: string;
  size: number;
  /** Upper-case hex, as the platform's `X_hash`. */
  md5: string;
}

/** A photo that cannot be copied: the message says why in Chinese, without naming the slot (the caller does). */
export class ImageFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFileError';
  }
}

export const imagesDir = (dataDir: string) => join(dataDir, 'images');

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes needed to tell the kind. */
export const HEAD_BYTES = PNG.length;

/** JPEG or PNG by the file's first bytes (its extension says nothing: a renamed .bmp is still a .bmp). */
export function imageKind(head: Uint8Array): ImageKind | null {
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts(JPEG)) return 'jpg';
  if (starts(PNG)) return 'png';
  return null;
}

export const NOT_AN_IMAGE = '不是 JPEG 或 PNG 图片 (请选择相机拍的 .jpg 或 .png 照片)';
export const tooLarge = (size: number) =>
  `图片过大 (${(size / 1024 / 1024).toFixed(1)} MB): 不能超过 ${IMAGE_MAX_BYTES / 1024 / 1024} MB`;

/** A picked file that can no longer be read, in words. */
export function unreadable(name: string, e: unknown): ImageFileError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? '文件已被移动或删除'
      : code === 'EBUSY' || code === 'EPERM' || code === 'EACCES'
        ? '文件正被其他程序占用或无权读取'
        : (code ?? (e instanceof Error ? e.message : String(e)));
  return new ImageFileError(`无法读取文件 ${name}: ${why}, 请重新选择文件`);
}

export interface CopyOptions {
  /** Console photos: JPEG or PNG of at most IMAGE_MAX_BYTES. The CLI takes the installer's file as it is. */
  imagesOnly: boolean;
  /**
   * The copy's name inside the images folder, from its MD5 and kind (null when not an image): `<MD5>.jpg` for the
   * console; the CLI keeps the file's own name in a folder of its MD5, so the name the platform is sent stays its own.
   */
  nameFor: (md5: string, kind: ImageKind | null) => string;
}

/** Chunks of the source; a path is read 256 KB at a time. */
function chunksOf(source: ImageSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if ('bytes' in source) return [source.bytes];
  return createReadStream(source.path, { highWaterMark: 256 * 1024 });
}

/** The folder entry of a rename made durable. */
async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Windows cannot open a folder as a file; NTFS journals the rename itself. Elsewhere the rename is already
    // visible and the file's own data was fsync'd: a crash now loses at most the name, and the record is not saved.
  }
}

/** Streams `source` into the images folder (see the file's comment) and returns the copy. */
export async function copyImage(dataDir: string, source: ImageSource, options: CopyOptions): Promise<CopiedImage> {
  const dir = imagesDir(dataDir);
  if ('path' in source) {
    let size: number;
    try {
      const s = await stat(source.path);
      if (!s.isFile()) throw new ImageFileError(`不是文件: ${source.name}`);
      size = s.size;
    } catch (e) {
      throw e instanceof ImageFileError ? e : unreadable(source.name, e);
    }
    if (options.imagesOnly && size > IMAGE_MAX_BYTES) throw new ImageFileError(tooLarge(size));
  } else if (options.imagesOnly && source.bytes.byteLength > IMAGE_MAX_BYTES) {
    throw new ImageFileError(tooLarge(source.bytes.byteLength));
  }

  await mkdir(dir, { recursive: true });
  const temp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  const hash = createHash('md5');
  let size = 0;
  let head = Buffer.alloc(0);
  let writing = false;
  try {
    const out = await open(temp, 'wx');
    try {
      try {
        for await (const chunk of chunksOf(source)) {
          const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          if (head.length < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - head.length)]);
          if (options.imagesOnly && head.length >= HEAD_BYTES && !imageKind(head))
            throw new ImageFileError(NOT_AN_IMAGE);
          size += bytes.length;
          // The file may have grown since it was measured.
          if (options.imagesOnly && size > IMAGE_MAX_BYTES) throw new ImageFileError(tooLarge(size));
          hash.update(bytes);
          writing = true;
          let written = 0;
          while (written < bytes.length) written += (await out.write(bytes, written)).bytesWritten;
          writing = false;
        }
      } catch (e) {
        // Reading the original failed: said as such. Writing the copy failed (disk full): the storage error as it is.
        throw e instanceof ImageFileError || writing || !('path' in source) ? e : unreadable(source.name, e);
      }
      if (options.imagesOnly && !imageKind(head)) throw new ImageFileError(NOT_AN_IMAGE);
      await out.sync();
    } finally {
      await out.close();
    }
    const md5 = hash.digest('hex').toUpperCase();
    const final = join(dir, options.nameFor(md5, imageKind(head)));
    await mkdir(dirname(final), { recursive: true });
    await moveInto(temp, final);
    await syncDir(dirname(final));
    return { path: final, name: source.name, size, md5 };
  } catch (e) {
    // The temporary copy is of no use now; if removing it fails too, retention removes it later (its prefix).
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * The rename, replacing a copy of the same content (same name: same MD5). Replacing also makes the file young again,
 * so retention leaves it alone while the record that now uses it is being saved. Windows refuses to replace a file
 * another program holds open (the worker sending it): that copy is the same bytes, so it stays and is touched.
 */
async function moveInto(temp: string, final: string): Promise<void> {
  try {
    await rename(temp, final);
  } catch (e) {
    const there = await stat(final).catch(() => null);
    if (!there?.isFile()) throw e;
    await rm(temp, { force: true });
    const now = new Date();
    await utimes(final, now, now);
  }
}
