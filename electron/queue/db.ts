/**
 * The console's one SQLite database (node:sqlite, built into Electron's Node: nothing native to
 * rebuild for Windows). WAL; a record is reported saved only after a FULL-sync commit.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from './migrations.ts';

export const DB_FILE = 'booth.sqlite';

export interface Db {
  sql: DatabaseSync;
  /** The data folder it lives in. */
  dir: string;
  /** BEGIN IMMEDIATE … COMMIT with synchronous=FULL: on disk before it returns (power cut safe). */
  durable<T>(fn: () => T): T;
  /** The same, with synchronous=NORMAL: safe against a crash; a power cut may lose it, and losing it only means sending again with the same key. */
  tx<T>(fn: () => T): T;
  close(): void;
}

export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const sql = new DatabaseSync(join(dataDir, DB_FILE));
  sql.exec('PRAGMA journal_mode = WAL');
  sql.exec('PRAGMA foreign_keys = ON');
  sql.exec('PRAGMA busy_timeout = 5000');
  sql.exec('PRAGMA synchronous = NORMAL');
  migrate(sql);

  function run<T>(fn: () => T, sync: 'FULL' | 'NORMAL'): T {
    if (sync === 'FULL') sql.exec('PRAGMA synchronous = FULL');
    sql.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      sql.exec('COMMIT');
      return result;
    } catch (e) {
      if (sql.isTransaction) sql.exec('ROLLBACK');
      throw e;
    } finally {
      if (sync === 'FULL') sql.exec('PRAGMA synchronous = NORMAL');
    }
  }

  return {
    sql,
    dir: dataDir,
    durable: (fn) => run(fn, 'FULL'),
    tx: (fn) => run(fn, 'NORMAL'),
    close: () => sql.close(),
  };
}
