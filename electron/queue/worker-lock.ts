/**
 * One sender per data folder. Two workers on one outbox (the console and a CLI `drain`, or the console
 * opened twice) would send the same records side by side: harmless to the platform (same keys) but every
 * push logged twice and every count wrong. The lock is an exclusive transaction held open on a small
 * SQLite file: the operating system drops it when the process ends, however it ends (SIGKILL, a power
 * cut), so there is never a stale lock to clear by hand. A side file says who holds it, for the message.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export const LOCK_FILE = 'worker.lock';
const HOLDER_FILE = 'worker.lock.json';

export class WorkerBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerBusyError';
  }
}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

function describe(dir: string): string {
  try {
    const h = JSON.parse(readFileSync(join(dir, HOLDER_FILE), 'utf8')) as Holder;
    return ` (进程 ${h.pid}: ${h.command}, 自 ${h.since} 起)`;
  } catch {
    // No holder file (or a half-written one): the message only says less about who holds the lock.
    return '';
  }
}

export interface WorkerLock {
  release(): void;
}

/** Takes the data folder's sender lock at once, or throws WorkerBusyError saying who has it. */
export function acquireWorkerLock(dir: string, command: string): WorkerLock {
  const db = new DatabaseSync(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch {
    // SQLITE_BUSY: another process holds the lock; said in WorkerBusyError.
    db.close();
    throw new WorkerBusyError(
      `数据目录 ${dir} 已有一个进程在上传${describe(dir)}. 同一数据目录同时只能有一个上传进程: 请先关闭控制台或另一个 drain`,
    );
  }
  const holder: Holder = { pid: process.pid, command, since: new Date().toISOString() };
  writeFileSync(join(dir, HOLDER_FILE), JSON.stringify(holder));
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      rmSync(join(dir, HOLDER_FILE), { force: true });
      db.close(); // ends the transaction, and with it the lock
    },
  };
}
