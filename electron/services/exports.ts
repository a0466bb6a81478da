/**
 * Files the backend makes for the person to keep (the push log as CSV, the support logs), written into
 * `<data>/exports/<handle>` a piece at a time, so that neither a long export nor its text ever holds a thread: the
 * host copies the file where the person chooses (Electron) or streams it as a download (preview host), then deletes
 * it. Exports nobody saved are deleted after EXPORT_KEEP_MS (sweepExports, at the backend's start and daily).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXPORT_HANDLE, EXPORT_KEEP_MS, type ExportFile } from '../../shared/contract/host.ts';
import { logError } from './logger.ts';

export const EXPORTS_FOLDER = 'exports';

export function exportsDir(dataDir: string): string {
  return join(dataDir, EXPORTS_FOLDER);
}

/** The file behind a handle, or null when the handle is not one (a path, `..`, anything but 32 hex characters). */
export function exportPath(dataDir: string, handle: string): string | null {
  return EXPORT_HANDLE.test(handle) ? join(exportsDir(dataDir), handle) : null;
}

/**
 * Writes an export from pieces of text or bytes (an async iterable: the caller yields between slices) and returns its
 * handle. A failure removes the half-written file.
 */
export async function writeExport(
  dataDir: string,
  meta: { filename: string; mime: string },
  pieces: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): Promise<ExportFile> {
  const dir = exportsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const handle = randomBytes(16).toString('hex');
  const path = join(dir, handle);
  let bytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const piece of pieces) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      bytes += chunk.byteLength;
      yield chunk;
    }
  }
  try {
    // pipeline listens for the file's errors at every moment (a full disk while the next page is read included) and
    // ends both sides on the first one.
    await pipeline(Readable.from(counted()), createWriteStream(path, { flags: 'wx' }));
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
  return { handle, filename: meta.filename, mime: meta.mime, bytes };
}

/** Deletes exports older than EXPORT_KEEP_MS; returns how many. One that cannot be deleted now is tried next time. */
export function sweepExports(dataDir: string, now = Date.now()): number {
  const dir = exportsDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    // No exports folder yet: nothing to sweep.
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > EXPORT_KEEP_MS) {
        rmSync(path, { force: true });
        removed++;
      }
    } catch (e) {
      logError('exports.sweep', e);
    }
  }
  return removed;
}
