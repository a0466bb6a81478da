/**
 * How long a copied photo lives: as long as a record refers to it. When the queue's retention removes records (their
 * log has aged out), the photos no record refers to any more are deleted. A file younger than an hour is always left:
 * it may be the copy of a record being saved right now (copied, not yet committed), here or by a CLI `enqueue`.
 */
import { readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { FILE_FIELDS } from '../../shared/records/leave.ts';
import { imagesDir, TEMP_PREFIX } from './store.ts';

export const IMAGE_MIN_AGE_MS = 3600 * 1000;

const MD5_NAME = /^[0-9A-F]{32}$/i;

/**
 * What names a copy, wherever the data folder is now: `<MD5>.jpg`, or `<MD5>/<name>` for a CLI copy. Not the full
 * path: a data folder that was moved (or a path spelled with another case on Windows) still protects its files.
 */
export function imageKey(path: string): string {
  const normal = path.replace(/\\/g, '/');
  const parent = basename(dirname(normal));
  const name = basename(normal);
  return (MD5_NAME.test(parent) ? `${parent}/${name}` : name).toLowerCase();
}

/** The keys of every file a record of the outbox refers to, whatever its state (cancelled ones may be re-pushed). */
export function referencedImages(sql: DatabaseSync): Set<string> {
  const columns = FILE_FIELDS.map((f) => `json_extract(payload, '$.${f}') AS ${f}`).join(', ');
  const rows = sql.prepare(`SELECT ${columns} FROM records WHERE endpoint = 'leave'`).all() as Record<
    string,
    unknown
  >[];
  const keys = new Set<string>();
  for (const row of rows)
    for (const f of FILE_FIELDS) if (typeof row[f] === 'string' && row[f] !== '') keys.add(imageKey(row[f]));
  return keys;
}

export interface SweepResult {
  deleted: number;
  bytes: number;
}

/**
 * Deletes the copies no record refers to (and temporary copies a crash left), older than IMAGE_MIN_AGE_MS.
 * Synchronous on purpose: within this process nothing (a copy, a save) runs between reading `referenced` and the
 * deletions. `referenced` must be read just before (referencedImages).
 */
export function sweepImages(dataDir: string, referenced: ReadonlySet<string>, now = Date.now()): SweepResult {
  const dir = imagesDir(dataDir);
  const result: SweepResult = { deleted: 0, bytes: 0 };
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return result; // no photo copied yet
    throw e;
  }
  const old = (mtimeMs: number) => now - mtimeMs >= IMAGE_MIN_AGE_MS;

  function consider(path: string, key: string): boolean {
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s?.isFile() || !old(s.mtimeMs)) return false;
    if (!basename(path).startsWith(TEMP_PREFIX) && referenced.has(key)) return false;
    unlinkSync(path);
    result.deleted += 1;
    result.bytes += s.size;
    return true;
  }

  for (const entry of entries) {
    const path = join(dir, entry);
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s) continue;
    if (s.isFile()) {
      consider(path, entry.toLowerCase());
    } else if (s.isDirectory() && MD5_NAME.test(entry)) {
      const inner = readdirSync(path);
      let left = inner.length;
      for (const name of inner) if (consider(join(path, name), `${entry}/${name}`.toLowerCase())) left -= 1;
      // An empty folder of a CLI copy; a copy being made in it now would have to be renamed in after this check.
      if (left === 0 && old(s.mtimeMs)) {
        try {
          rmdirSync(path);
        } catch {
          // Not empty after all (a copy arrived meanwhile) or held open: it is kept, and looked at next time.
        }
      }
    }
  }
  return result;
}

export interface FolderInfo {
  path: string;
  files: number;
  bytes: number;
}

/** The copies in the images folder (temporary ones not counted). */
export function imagesFolderInfo(dataDir: string): FolderInfo {
  const dir = imagesDir(dataDir);
  const info: FolderInfo = { path: dir, files: 0, bytes: 0 };
  const walk = (d: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // no photo copied yet: an empty folder
      throw e;
    }
    for (const entry of entries) {
      if (entry.startsWith(TEMP_PREFIX)) continue;
      const s = statSync(join(d, entry), { throwIfNoEntry: false });
      if (s?.isFile()) {
        info.files += 1;
        info.bytes += s.size;
      } else if (s?.isDirectory() && depth === 0) walk(join(d, entry), 1);
    }
  };
  walk(dir, 0);
  return info;
}
