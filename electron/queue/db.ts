/**
 * The console's one SQLite database (node:sqlite, built into Electron's Node: nothing native to
 * rebuild for Windows). WAL; a record is reported saved only after a FULL-sync commit.
 *
 * Before each write the file is checked to still be the one opened (device and inode: one stat):
 * a database deleted or replaced under a running console would otherwise take commits into a file
 * nobody will ever open again. A failed write is put into words (storage-errors.ts), logged and kept
 * in `storage` for the status until the next successful write.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StorageProblem } from '../../shared/contract/queue.ts';
import { logError } from '../services/logger.ts';
import { migrate } from './migrations.ts';
import { StorageError, storageMessage } from './storage-errors.ts';

export const DB_FILE = 'booth.sqlite';

export interface StorageHealth {
  /** The failure of the last write, else a sticky problem (file gone, missing at start), else null. */
  current(): StorageProblem | null;
  report(kind: StorageProblem['kind'], problem: string): void;
}

export interface Db {
  sql: DatabaseSync;
  /** The data folder it lives in. */
  dir: string;
  /** The database file. */
  file: string;
  /** The file did not exist before this open (a new, empty database). */
  created: boolean;
  /** A random id made with the database (meta `database_id`): tells one database file from another. */
  id: string;
  storage: StorageHealth;
  /** BEGIN IMMEDIATE … COMMIT with synchronous=FULL: on disk before it returns (power cut safe). */
  durable<T>(fn: () => T): T;
  /**
   * The same, with synchronous=NORMAL: safe against a crash; a power cut may lose it, and losing it only means sending
   * again with the same key.
   */
  tx<T>(fn: () => T): T;
  close(): void;
}

function createHealth(now: () => number): StorageHealth & { clearWrite(): void } {
  let write: StorageProblem | null = null;
  let sticky: StorageProblem | null = null;
  return {
    current: () => write ?? sticky,
    report(kind, problem) {
      const p = { kind, problem, at: now() };
      if (kind === 'write-failed') write = p;
      else if (sticky?.kind !== 'file-gone') sticky = p; // file-gone outranks a warning from the start
    },
    clearWrite() {
      write = null;
    },
  };
}

type Identity = { dev: bigint; ino: bigint } | null;

function identity(file: string): Identity {
  const s = statSync(file, { bigint: true, throwIfNoEntry: false });
  return s ? { dev: s.dev, ino: s.ino } : null;
}

export function openDb(dataDir: string, now: () => number = Date.now): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DB_FILE);
  const created = !existsSync(file);
  const sql = new DatabaseSync(file);
  sql.exec('PRAGMA journal_mode = WAL');
  sql.exec('PRAGMA foreign_keys = ON');
  sql.exec('PRAGMA busy_timeout = 5000');
  sql.exec('PRAGMA synchronous = NORMAL');
  migrate(sql);
  sql.prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('database_id', ?)").run(randomUUID());
  const id = (sql.prepare("SELECT value FROM meta WHERE name = 'database_id'").get() as { value: string }).value;
  const opened = identity(file);
  const storage = createHealth(now);
  let gone: string | null = null;

  function checkFile(): void {
    if (gone === null) {
      const nowId = identity(file);
      if (nowId && opened && nowId.dev === opened.dev && nowId.ino === opened.ino) return;
      gone = `数据库文件已被删除或替换: ${file}。已停止保存, 请重启控制台。`;
      storage.report('file-gone', gone);
      logError('db', gone);
    }
    throw new StorageError(gone);
  }

  function run<T>(fn: () => T, sync: 'FULL' | 'NORMAL'): T {
    checkFile();
    let result: T;
    try {
      if (sync === 'FULL') sql.exec('PRAGMA synchronous = FULL');
      sql.exec('BEGIN IMMEDIATE');
      try {
        result = fn();
        sql.exec('COMMIT');
      } catch (e) {
        if (sql.isTransaction) sql.exec('ROLLBACK');
        throw e;
      } finally {
        if (sync === 'FULL') sql.exec('PRAGMA synchronous = NORMAL');
      }
    } catch (e) {
      const problem = storageMessage(e, dataDir);
      if (problem === null) throw e;
      storage.report('write-failed', problem);
      logError('db', `${problem} (${e instanceof Error ? e.message : String(e)})`);
      throw new StorageError(problem, { cause: e });
    }
    storage.clearWrite();
    return result;
  }

  return {
    sql,
    dir: dataDir,
    file,
    created,
    id,
    storage,
    durable: (fn) => run(fn, 'FULL'),
    tx: (fn) => run(fn, 'NORMAL'),
    close: () => sql.close(),
  };
}
