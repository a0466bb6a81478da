/** Schema versions, applied in order inside one transaction each; PRAGMA user_version says where a database is. */
import type { DatabaseSync } from 'node:sqlite';
import { fingerprint, vipRowFingerprint } from './fingerprint.ts';
import { renewalColumns } from './vip-rows-repo.ts';

/** A step is SQL, or code where the step must compute what SQL cannot (a fingerprint). */
type Migration = string | ((sql: DatabaseSync) => void);

/** 4: the rows of the VIP batches already stored, so that a file enqueued again is recognised. */
function vipRowsIndex(sql: DatabaseSync): void {
  sql.exec(`
  ALTER TABLE records ADD COLUMN fingerprint TEXT;
  CREATE INDEX records_fingerprint ON records(endpoint, fingerprint) WHERE fingerprint IS NOT NULL;
  CREATE TABLE vip_rows (
    pay_partner TEXT PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES records(id),
    fingerprint TEXT NOT NULL,
    minted INTEGER NOT NULL
  );
  CREATE INDEX vip_rows_content ON vip_rows(fingerprint) WHERE minted = 1;
  `);
  const put = sql.prepare(
    'INSERT OR REPLACE INTO vip_rows (pay_partner, record_id, fingerprint, minted) VALUES (?, ?, ?, 0)',
  );
  for (const r of sql
    .prepare(`SELECT id, payload FROM records WHERE endpoint = 'vip-recharge' ORDER BY id`)
    .iterate() as Iterable<{ id: number; payload: string }>) {
    const rows = (JSON.parse(r.payload) as { row?: Record<string, unknown>[] }).row ?? [];
    for (const row of rows)
      if (typeof row.pay_partner === 'string') put.run(row.pay_partner, r.id, fingerprint(row, 'pay_partner'));
  }
}

/**
 * 8: a renewal row's content no longer includes its operator (vipRowFingerprint): the rows already stored are
 * fingerprinted again, so a file imported before is still recognised.
 */
function refingerprintVipRows(sql: DatabaseSync): void {
  const set = sql.prepare('UPDATE vip_rows SET fingerprint = ? WHERE pay_partner = ? AND record_id = ?');
  for (const r of sql
    .prepare(`SELECT id, payload FROM records WHERE endpoint = 'vip-recharge' ORDER BY id`)
    .iterate() as Iterable<{ id: number; payload: string }>) {
    const rows = (JSON.parse(r.payload) as { row?: Record<string, unknown>[] }).row ?? [];
    for (const row of rows)
      if (typeof row.pay_partner === 'string') set.run(vipRowFingerprint(row), row.pay_partner, r.id);
  }
}

/**
 * 6: what a new renewal's form asks of the rows queued before (the plate's last end, the charge types in use), read
 * off an index instead of every batch's payload; the rows already stored get it from the payload of the record
 * holding them. And a record's state by its id from an index (records_id_state): a row's "queued and not cancelled"
 * otherwise reads the record's row, whose state lies after a batch's payload of up to a few hundred KB (a walk down
 * its overflow pages, some 25 µs per row checked).
 */
function vipRowsRenewals(sql: DatabaseSync): void {
  sql.exec(`
  ALTER TABLE vip_rows ADD COLUMN plate TEXT;
  ALTER TABLE vip_rows ADD COLUMN charge_type TEXT;
  ALTER TABLE vip_rows ADD COLUMN end_at INTEGER;
  `);
  const set = sql.prepare(
    'UPDATE vip_rows SET plate = ?, charge_type = ?, end_at = ? WHERE pay_partner = ? AND record_id = ?',
  );
  for (const r of sql
    .prepare('SELECT id, payload FROM records WHERE id IN (SELECT record_id FROM vip_rows) ORDER BY id')
    .iterate() as Iterable<{ id: number; payload: string }>) {
    const rows = (JSON.parse(r.payload) as { row?: Record<string, unknown>[] }).row ?? [];
    for (const row of rows) {
      if (typeof row.pay_partner !== 'string') continue;
      const c = renewalColumns(row);
      set.run(c.plate, c.chargeType, c.endAt, row.pay_partner, r.id);
    }
  }
  sql.exec(`
  CREATE INDEX vip_rows_plate ON vip_rows(plate, end_at, record_id) WHERE plate IS NOT NULL;
  CREATE INDEX vip_rows_charge_type ON vip_rows(charge_type, record_id) WHERE charge_type IS NOT NULL;
  CREATE INDEX records_id_state ON records(id, state);
  `);
}

const MIGRATIONS: Migration[] = [
  // 1: outbox, push log, audit trail, queue flags, key sequences
  `
  CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    endpoint TEXT NOT NULL,
    key TEXT NOT NULL,
    plate TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    accepted_at INTEGER,
    depends_on INTEGER REFERENCES records(id),
    created_by TEXT,
    last_outcome TEXT,
    last_code TEXT,
    last_message TEXT,
    last_hint TEXT,
    last_seqno TEXT,
    last_error TEXT,
    cancel_reason TEXT,
    UNIQUE (endpoint, key)
  );
  CREATE INDEX records_waiting ON records(id) WHERE state = 'waiting';
  CREATE INDEX records_state ON records(state, id);
  CREATE INDEX records_next ON records(next_attempt_at) WHERE state = 'waiting';
  CREATE INDEX records_plate ON records(plate, id);

  CREATE TABLE push_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    plate TEXT,
    attempt INTEGER NOT NULL,
    fields TEXT NOT NULL,
    files TEXT NOT NULL,
    plain_masked TEXT NOT NULL,
    base_url TEXT NOT NULL,
    http_status INTEGER,
    code TEXT,
    message TEXT,
    hint TEXT,
    seqno TEXT,
    latency_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    error TEXT,
    diagnosis TEXT
  );
  CREATE INDEX push_log_plate ON push_log(plate, id);
  CREATE INDEX push_log_key ON push_log(record_key, id);
  CREATE INDEX push_log_endpoint ON push_log(endpoint, id);
  CREATE INDEX push_log_outcome ON push_log(outcome, id);
  CREATE INDEX push_log_at ON push_log(at);
  CREATE INDEX push_log_record ON push_log(record_id);

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    record_id INTEGER,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    before TEXT,
    after TEXT
  );
  CREATE INDEX audit_record ON audit(record_id, id);

  CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `,
  // 2: status and scheduling read indexes only, even with 100,000 records waiting
  `
  CREATE INDEX records_state_attempts ON records(state, attempts);
  CREATE INDEX records_state_created ON records(state, created_at);
  CREATE INDEX records_state_next ON records(state, next_attempt_at);
  CREATE INDEX records_depends ON records(depends_on) WHERE depends_on IS NOT NULL;
  `,
  // 3: the waiting records in creation order with what decides whether they are due, so a large due backlog
  // is read in order without sorting it; records_waiting (the same, less) and records_next (a copy of
  // records_state_next) go, one index fewer to write at every attempt
  `
  CREATE INDEX records_waiting_due ON records(id, next_attempt_at, depends_on) WHERE state = 'waiting';
  DROP INDEX records_waiting;
  DROP INDEX records_next;
  `,
  vipRowsIndex,
  // 5: the push log's plates, each with how many rows it has, kept by triggers: a plate typed in part (B12345 for
  // 粤B12345) is matched against the few thousand plates, not the hundred thousand rows, and its count says
  // whether to read those plates' rows by the plate index or to walk the newest rows (see log-repo.ts)
  `
  CREATE TABLE push_log_plates (plate TEXT PRIMARY KEY, rows INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO push_log_plates (plate, rows) SELECT plate, COUNT(*) FROM push_log WHERE plate IS NOT NULL GROUP BY plate;
  CREATE TRIGGER push_log_plates_add AFTER INSERT ON push_log WHEN new.plate IS NOT NULL BEGIN
    INSERT INTO push_log_plates (plate, rows) VALUES (new.plate, 1)
      ON CONFLICT (plate) DO UPDATE SET rows = rows + 1;
  END;
  CREATE TRIGGER push_log_plates_remove AFTER DELETE ON push_log WHEN old.plate IS NOT NULL BEGIN
    UPDATE push_log_plates SET rows = rows - 1 WHERE plate = old.plate;
    DELETE FROM push_log_plates WHERE plate = old.plate AND rows <= 0;
  END;
  CREATE TRIGGER push_log_plates_change AFTER UPDATE OF plate ON push_log WHEN old.plate IS NOT new.plate BEGIN
    UPDATE push_log_plates SET rows = rows - 1 WHERE plate = old.plate;
    DELETE FROM push_log_plates WHERE plate = old.plate AND rows <= 0;
    INSERT INTO push_log_plates (plate, rows) SELECT new.plate, 1 WHERE new.plate IS NOT NULL
      ON CONFLICT (plate) DO UPDATE SET rows = rows + 1;
  END;
  `,
  vipRowsRenewals,
  // 7: a large VIP import is staged a few hundred rows per transaction (the event loop keeps turning) and moved into
  // the outbox by one short final transaction (vip-import.ts). Nothing reads the staging but that final step: rows of
  // an import not committed are never sent, and the staging of a dead import is removed (sweep). An import's owner
  // (host, process, token) says whether it still runs; staged_records.ord is a batch's place (its id is base_id + ord,
  // base_id the MAX(id) at the final step); staged_vip_rows.idx a row's place in the list (named in errors), holder the
  // record that held the row when it was checked (a full upload's rows queued before): the final step refuses if
  // another holds it now. A committed import's staged rows still give their rows' plate, charge type and end.
  `
  CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    owner_host TEXT NOT NULL,
    owner_pid INTEGER NOT NULL,
    owner_token TEXT NOT NULL,
    actor TEXT,
    rows INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    touched_at INTEGER NOT NULL,
    committed_at INTEGER,
    base_id INTEGER
  );
  CREATE TABLE staged_records (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    ord INTEGER NOT NULL,
    key TEXT NOT NULL,
    plate TEXT,
    payload TEXT NOT NULL,
    rows INTEGER NOT NULL,
    PRIMARY KEY (import_id, ord)
  );
  CREATE TABLE staged_vip_rows (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    idx INTEGER NOT NULL,
    record_ord INTEGER NOT NULL,
    pay_partner TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    minted INTEGER NOT NULL,
    holder INTEGER,
    plate TEXT,
    charge_type TEXT,
    end_at INTEGER,
    PRIMARY KEY (import_id, idx)
  ) WITHOUT ROWID;
  `,
  refingerprintVipRows,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database up to `to` (the current version unless a test asks for an older one). */
export function migrate(sql: DatabaseSync, to = SCHEMA_VERSION): void {
  const current = Number((sql.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (current > SCHEMA_VERSION) {
    throw new Error(`数据库版本 ${current} 比本程序 (${SCHEMA_VERSION}) 新: 请安装新版控制台`);
  }
  for (let v = current; v < to; v++) {
    sql.exec('BEGIN IMMEDIATE');
    try {
      const step = MIGRATIONS[v]!;
      if (typeof step === 'string') sql.exec(step);
      else step(sql);
      sql.exec(`PRAGMA user_version = ${v + 1}`);
      sql.exec('COMMIT');
    } catch (e) {
      sql.exec('ROLLBACK');
      throw e;
    }
  }
}
