/**
 * Where the console's log files are and what they are called (written by log-file.ts, read by the support export):
 * `<data>/logs/console.log`, rotated into `console.1.log` (newest) … `console.5.log` (oldest). No electron-log here, so
 * that the backend thread can list and read them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FOLDER } from '../../shared/contract/host.ts';

export const LOG_FILE_BASE = 'console';
/** How many rotated files are kept beside console.log. */
export const LOG_KEEP = 5;

export function logFolder(dataDir: string): string {
  return join(dataDir, LOG_FOLDER);
}

/** `console.log` (n = 0) or `console.<n>.log`. */
export function logFileName(n: number): string {
  return n === 0 ? `${LOG_FILE_BASE}.log` : `${LOG_FILE_BASE}.${n}.log`;
}

/** The log files in a folder now, oldest first (`console.5.log` … `console.1.log`, `console.log`). */
export function listLogFiles(folder: string, keep = LOG_KEEP): string[] {
  const out: string[] = [];
  for (let n = keep; n >= 0; n--) {
    const p = join(folder, logFileName(n));
    if (existsSync(p)) out.push(p);
  }
  return out;
}
