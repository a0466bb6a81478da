/** The outbox table: one row per record, stored unsigned with its idempotency key. */
import type { DatabaseSync } from 'node:sqlite';
import type { QueuedRecord, RecordState } from '../../shared/contract/queue.ts';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import type { OutcomeKind } from '../../shared/platform/outcome.ts';

interface Row {
  id: number;
  endpoint: string;
  key: string;
  plate: string | null;
  payload: string;
  state: string;
  attempts: number;
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
  accepted_at: number | null;
  depends_on: number | null;
  created_by: string | null;
  last_outcome: string | null;
  last_code: string | null;
  last_message: string | null;
  last_hint: string | null;
  last_seqno: string | null;
  last_error: string | null;
  cancel_reason: string | null;
}

export interface NewRecord {
  endpoint: Endpoint;
  key: string;
  plate: string | null;
  record: unknown;
  /** Set when the console minted the key: what the record says without it (see fingerprint.ts). */
  fingerprint?: string | null;
  createdBy: string | null;
  dependsOn: number | null;
  now: number;
}

export interface LastAnswer {
  outcome: OutcomeKind;
  code: string | null;
  message: string | null;
  hint: string | null;
  seqno: string | null;
  error: string | null;
}

/** Waiting, due, and not waiting for a record that is not yet accepted. */
const DUE = `r.state = 'waiting' AND r.next_attempt_at <= ?
  AND (r.depends_on IS NULL OR EXISTS (SELECT 1 FROM records d WHERE d.id = r.depends_on AND d.state = 'accepted'))`;
/** Not among the ids (a JSON array) the worker is busy with: passed over inside SQLite, never read out. */
const NOT_BUSY = `AND r.id NOT IN (SELECT value FROM json_each(?))`;
/** From this many due records on, reading in id order beats sorting the due ones. */
const MANY_DUE = 200;

export function createRecordsRepo(sql: DatabaseSync, stuckAfter: () => number) {
  const toRecord = (r: Row, stuckAfterN = stuckAfter()): QueuedRecord => ({
    id: r.id,
    endpoint: r.endpoint as Endpoint,
    key: r.key,
    plate: r.plate,
    record: JSON.parse(r.payload) as Record<string, unknown>,
    state: r.state as RecordState,
    attempts: r.attempts,
    stuck: r.state === 'waiting' && r.attempts >= stuckAfterN,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    nextAttemptAt: r.next_attempt_at,
    acceptedAt: r.accepted_at,
    dependsOn: r.depends_on,
    createdBy: r.created_by,
    last: {
      outcome: r.last_outcome as OutcomeKind | null,
      code: r.last_code,
      message: r.last_message,
      hint: r.last_hint,
      seqno: r.last_seqno,
      error: r.last_error,
    },
    cancelReason: r.cancel_reason,
  });

  const stmt = {
    insert: sql.prepare(
      `INSERT INTO records (endpoint, key, plate, payload, fingerprint, state, attempts, next_attempt_at,
                            created_at, updated_at, depends_on, created_by)
       VALUES (?, ?, ?, ?, ?, 'waiting', 0, ?, ?, ?, ?, ?)`,
    ),
    byFingerprint: sql.prepare(
      `SELECT * FROM records WHERE endpoint = ? AND fingerprint = ? AND state <> 'cancelled' ORDER BY id LIMIT 1`,
    ),
    get: sql.prepare('SELECT * FROM records WHERE id = ?'),
    byKey: sql.prepare('SELECT * FROM records WHERE endpoint = ? AND key = ?'),
    // Two plans for "the oldest due records": SQLite cannot both range over due times and read in id
    // order. A few due: take them by due time and sort them. Many due (a backlog after an outage): walk
    // the waiting records in id order, which finds due ones at once. Each plan is slow only in the other's case.
    dueCount: sql.prepare(
      `SELECT COUNT(*) AS n
       FROM (SELECT 1 FROM records WHERE state = 'waiting' AND next_attempt_at <= ? LIMIT ${MANY_DUE})`,
    ),
    fewDue: sql.prepare(
      `SELECT r.* FROM records r INDEXED BY records_state_next WHERE ${DUE} ${NOT_BUSY} ORDER BY r.id LIMIT ?`,
    ),
    manyDue: sql.prepare(
      `SELECT r.* FROM records r INDEXED BY records_waiting_due WHERE ${DUE} ${NOT_BUSY} ORDER BY r.id LIMIT ?`,
    ),
    // Only future times: a record due now but waiting for another is woken when that one is accepted.
    nextWake: sql.prepare(
      `SELECT MIN(next_attempt_at) AS t FROM records WHERE state = 'waiting' AND next_attempt_at > ?`,
    ),
    // A cancelled record stays cancelled whatever an attempt still in flight brings back.
    finish: sql.prepare(
      `UPDATE records SET state = ?, attempts = ?, next_attempt_at = ?, accepted_at = ?, updated_at = ?,
         last_outcome = ?, last_code = ?, last_message = ?, last_hint = ?, last_seqno = ?, last_error = ?
       WHERE id = ? AND state IN ('waiting', 'sending')`,
    ),
    backToWaiting: sql.prepare(
      `UPDATE records SET state = 'waiting', next_attempt_at = ?, updated_at = ? WHERE state = 'sending'`,
    ),
    resubmit: sql.prepare(
      `UPDATE records SET state = 'waiting', payload = ?, plate = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
    ),
    // Waiting on a backoff: due now instead (by the records_state_next index). updated_at stays: nothing about the
    // record changed, and the retention of finished records counts from it.
    retryOne: sql.prepare(
      `UPDATE records SET next_attempt_at = ? WHERE id = ? AND state = 'waiting' AND next_attempt_at > ?`,
    ),
    retryAll: sql.prepare(`UPDATE records SET next_attempt_at = ? WHERE state = 'waiting' AND next_attempt_at > ?`),
    cancel: sql.prepare(
      `UPDATE records SET state = 'cancelled', cancel_reason = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?`,
    ),
    dependents: sql.prepare(
      `SELECT id FROM records WHERE depends_on = ? AND state IN ('waiting', 'attention') ORDER BY id`,
    ),
    counts: sql.prepare('SELECT state, COUNT(*) AS n FROM records GROUP BY state'),
    stuck: sql.prepare(`SELECT COUNT(*) AS n FROM records WHERE state = 'waiting' AND attempts >= ?`),
    oldest: sql.prepare(`SELECT MIN(created_at) AS t FROM records WHERE state IN ('waiting', 'sending', 'attention')`),
    // A chain of waiting records goes back to one that waits for nothing or for an accepted record: that
    // one can go, and the rest after it. No such record: whatever waits is behind a record a person must
    // decide about, however far back in the chain.
    pending: sql.prepare(
      `SELECT 1 AS y FROM records r WHERE r.state IN ('waiting', 'sending')
         AND (r.depends_on IS NULL
              OR EXISTS (SELECT 1 FROM records d WHERE d.id = r.depends_on AND d.state = 'accepted'))
       LIMIT 1`,
    ),
  };

  return {
    insert(n: NewRecord): number {
      const r = stmt.insert.run(
        n.endpoint,
        n.key,
        n.plate,
        JSON.stringify(n.record),
        n.fingerprint ?? null,
        n.now,
        n.now,
        n.now,
        n.dependsOn,
        n.createdBy,
      );
      return Number(r.lastInsertRowid);
    },
    get(id: number): QueuedRecord | null {
      const r = stmt.get.get(id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    byKey(endpoint: Endpoint, key: string): QueuedRecord | null {
      const r = stmt.byKey.get(endpoint, key) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    /** A record not cancelled whose key was minted here and that says the same (see fingerprint.ts). */
    byFingerprint(endpoint: Endpoint, fp: string): QueuedRecord | null {
      const r = stmt.byFingerprint.get(endpoint, fp) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    /**
     * The oldest records that may be sent now (backoff over, the record they wait for accepted), skipping those in
     * flight.
     */
    due(now: number, limit: number, skip: readonly number[]): QueuedRecord[] {
      const many = (stmt.dueCount.get(now) as { n: number }).n >= MANY_DUE;
      const rows = (many ? stmt.manyDue : stmt.fewDue).all(now, JSON.stringify(skip), limit) as unknown as Row[];
      const n = stuckAfter();
      return rows.map((r) => toRecord(r, n));
    },
    /** The next time a backoff ends, after `now`. */
    nextWake(now: number): number | null {
      return (stmt.nextWake.get(now) as { t: number | null }).t;
    },
    /**
     * False when the record was no longer waiting or sending (cancelled by another process meanwhile): nothing changed.
     */
    finish(
      id: number,
      state: RecordState,
      attempts: number,
      nextAttemptAt: number | null,
      acceptedAt: number | null,
      now: number,
      last: LastAnswer,
    ): boolean {
      return (
        1 ===
        Number(
          stmt.finish.run(
            state,
            attempts,
            nextAttemptAt,
            acceptedAt,
            now,
            last.outcome,
            last.code,
            last.message,
            last.hint,
            last.seqno,
            last.error,
            id,
          ).changes,
        )
      );
    },
    /** After a crash or kill: whatever was in flight is simply sent again, with its key. */
    releaseInFlight(now: number): number {
      return Number(stmt.backToWaiting.run(now, now).changes);
    },
    resubmit(id: number, record: unknown, plate: string | null, now: number): void {
      stmt.resubmit.run(JSON.stringify(record), plate, now, now, id);
    },
    /** Records waiting on a backoff (one, or all) become due now; how many did. */
    retryNow(now: number, id?: number): number {
      return Number((id === undefined ? stmt.retryAll.run(now, now) : stmt.retryOne.run(now, id, now)).changes);
    },
    cancel(id: number, reason: string, now: number): void {
      stmt.cancel.run(reason, now, id);
    },
    /** Every record still to be sent that waits, directly or through others, for this one; in order. */
    followers(id: number): number[] {
      const out: number[] = [];
      const next = [id];
      while (next.length > 0) {
        for (const r of stmt.dependents.all(next.shift()!) as { id: number }[]) {
          out.push(r.id);
          next.push(r.id);
        }
      }
      return out;
    },
    list(filter: { states?: RecordState[]; endpoint?: Endpoint; limit?: number }): QueuedRecord[] {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.states?.length) {
        where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
        params.push(...filter.states);
      }
      if (filter.endpoint) {
        where.push('endpoint = ?');
        params.push(filter.endpoint);
      }
      const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000);
      const rows = sql
        .prepare(
          `SELECT * FROM records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`,
        )
        .all(...params) as unknown as Row[];
      return rows.map((r) => toRecord(r));
    },
    counts(): Record<RecordState, number> {
      const counts: Record<RecordState, number> = { waiting: 0, sending: 0, accepted: 0, attention: 0, cancelled: 0 };
      for (const r of stmt.counts.all() as unknown as { state: RecordState; n: number }[]) counts[r.state] = r.n;
      return counts;
    },
    stuckCount(): number {
      return (stmt.stuck.get(stuckAfter()) as { n: number }).n;
    },
    oldestOpen(): number | null {
      return (stmt.oldest.get() as { t: number | null }).t;
    },
    /** Whether any waiting or sending record can still go (not behind a record a person must decide about). */
    hasPending(): boolean {
      return stmt.pending.get() !== undefined;
    },
  };
}

export type RecordsRepo = ReturnType<typeof createRecordsRepo>;
