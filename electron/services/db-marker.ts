/**
 * Notices a data folder whose database went missing while the console was stopped. Once the database
 * has held a record, the settings store (which lives beside it, in another file) keeps the database's
 * random id (`database.id`). At the next start, a marker without the database file (or with another
 * database's id) means the records of this folder are gone, or elsewhere: the console starts anyway
 * (the booth must keep working) but says so loudly, in the status and on stderr, until a record is
 * saved in the new database (which then becomes the folder's).
 */
import type { Db } from '../queue/db.ts';
import type { KeyValueStore } from '../settings/settings-service.ts';
import { logError, logWarn } from './logger.ts';

const KEY = 'database.id';

function hasRecords(db: Db): boolean {
  return db.sql.prepare('SELECT 1 FROM records LIMIT 1').get() !== undefined;
}

/** The warning for this start, or null; also marks a database that already holds records. */
export function checkDatabaseMarker(store: KeyValueStore, db: Db): string | null {
  const marker = store.get(KEY);
  let warning: string | null = null;
  if (typeof marker === 'string' && marker !== db.id) {
    warning = db.created
      ? `数据库文件不见了: ${db.file}。此数据目录曾保存过记录, 现已用空数据库启动; 如有备份, 请关闭控制台, 放回备份的 booth.sqlite 后再启动。`
      : `数据库文件已被替换: ${db.file} 不是此数据目录原来的数据库。请确认记录是否完整; 如有备份, 请关闭控制台, 放回原来的 booth.sqlite 后再启动。`;
    db.storage.report('missing-at-start', warning);
    logWarn('storage', warning);
  }
  if (warning === null && hasRecords(db)) markDatabase(store, db);
  return warning;
}

/** This folder's database holds records: remember which one it is. */
export function markDatabase(store: KeyValueStore, db: Db): void {
  try {
    if (store.get(KEY) !== db.id) store.set(KEY, db.id);
  } catch (e) {
    // The settings file cannot be written (read-only folder): only the warning at a later start is lost.
    logError('storage.marker', e);
  }
}

/** Marks the database at its first record (the queue's events), then stops listening. */
export function markOnFirstRecord(
  store: KeyValueStore,
  db: Db,
  subscribe: (fn: (e: { type: string }) => void) => () => void,
): void {
  if (store.get(KEY) === db.id) return;
  const off = subscribe((e) => {
    if (e.type !== 'record') return;
    markDatabase(store, db);
    off();
  });
}
