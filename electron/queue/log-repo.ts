/** The push log: one row per attempt, never the bytes of an image, never the secret. */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { LogPage, LogQuery, PushLogRow } from '../../shared/contract/queue.ts';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import type { OutcomeKind, SignatureDiagnosis } from '../../shared/platform/outcome.ts';
import { normalizePlate } from '../../shared/records/plate.ts';

interface Row {
  id: number;
  at: number;
  endpoint: string;
  record_id: number;
  record_key: string;
  plate: string | null;
  attempt: number;
  fields: string;
  files: string;
  plain_masked: string;
  base_url: string;
  http_status: number | null;
  code: string | null;
  message: string | null;
  hint: string | null;
  seqno: string | null;
  latency_ms: number;
  outcome: string;
  error: string | null;
  diagnosis: string | null;
}

const toRow = (r: Row): PushLogRow => ({
  id: r.id,
  at: r.at,
  endpoint: r.endpoint as Endpoint,
  recordId: r.record_id,
  recordKey: r.record_key,
  plate: r.plate,
  attempt: r.attempt,
  fields: JSON.parse(r.fields) as Record<string, string>,
  files: JSON.parse(r.files) as PushLogRow['files'],
  plainMasked: r.plain_masked,
  baseUrl: r.base_url,
  httpStatus: r.http_status,
  code: r.code,
  message: r.message,
  hint: r.hint,
  seqno: r.seqno,
  latencyMs: r.latency_ms,
  outcome: r.outcome as OutcomeKind,
  error: r.error,
  diagnosis: r.diagnosis ? (JSON.parse(r.diagnosis) as SignatureDiagnosis) : null,
});

export const LOG_PAGE_MAX = 1000;

export function createLogRepo(sql: DatabaseSync) {
  const insert = sql.prepare(
    `INSERT INTO push_log (at, endpoint, record_id, record_key, plate, attempt, fields, files, plain_masked, base_url,
       http_status, code, message, hint, seqno, latency_ms, outcome, error, diagnosis)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const pruneLog = sql.prepare(
    `DELETE FROM push_log WHERE at < ?
       AND record_id NOT IN (SELECT id FROM records WHERE state IN ('waiting', 'sending', 'attention'))`,
  );
  const pruneRecords = sql.prepare(
    `DELETE FROM records WHERE state IN ('accepted', 'cancelled') AND updated_at < ?
       AND id NOT IN (SELECT depends_on FROM records WHERE depends_on IS NOT NULL)
       AND id NOT IN (SELECT record_id FROM push_log)
       AND id NOT IN (SELECT record_id FROM vip_rows)`,
  );

  // The plates that contain the typed text, from the plates table (schema 5): how many, and how many rows they have.
  const platesLike = sql.prepare(
    `SELECT COUNT(*) AS plates, COALESCE(SUM(rows), 0) AS rows FROM push_log_plates WHERE plate LIKE ? ESCAPE '\\'`,
  );
  const span = sql.prepare('SELECT COALESCE(MAX(id) - MIN(id) + 1, 0) AS n FROM push_log');

  /**
   * How to find the rows of the plates containing `pattern`, newest first, one page of `limit`. Rare plates: their rows
   * by the plate index, then sorted (cost: their row count). Common text (粤B, or a monthly car's hundreds of rows):
   * the newest rows in turn until the page is full (cost: about limit × all rows / matching rows). Whichever is less.
   * Null: no plate contains it.
   */
  function platePlan(pattern: string, limit: number): { indexed: boolean } | null {
    const m = platesLike.get(pattern) as { plates: number; rows: number };
    if (m.plates === 0) return null;
    const all = (span.get() as { n: number }).n;
    return { indexed: m.rows <= ((limit + 1) * all) / m.rows };
  }

  return {
    insert(row: Omit<PushLogRow, 'id'>): PushLogRow {
      const r = insert.run(
        row.at,
        row.endpoint,
        row.recordId,
        row.recordKey,
        row.plate,
        row.attempt,
        JSON.stringify(row.fields),
        JSON.stringify(row.files),
        row.plainMasked,
        row.baseUrl,
        row.httpStatus,
        row.code,
        row.message,
        row.hint,
        row.seqno,
        row.latencyMs,
        row.outcome,
        row.error,
        row.diagnosis ? JSON.stringify(row.diagnosis) : null,
      );
      return { ...row, id: Number(r.lastInsertRowid) };
    },

    /** Newest first, keyset paged; every filter is served by an index (a part of a plate: see platePlan). */
    query(q: LogQuery): LogPage {
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), LOG_PAGE_MAX);
      let from = 'push_log';
      if (q.endpoint) {
        where.push('endpoint = ?');
        params.push(q.endpoint);
      }
      if (q.outcome) {
        where.push('outcome = ?');
        params.push(q.outcome);
      }
      const plate = q.plate ? normalizePlate(q.plate) : '';
      if (plate) {
        // Any part of the plate, typed as a guard types it (case, spaces): B12345 finds 粤B12345.
        const pattern = `%${plate.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const plan = platePlan(pattern, limit);
        if (!plan) return { rows: [], nextBeforeId: null };
        if (plan.indexed) {
          from = 'push_log INDEXED BY push_log_plate';
          where.push(`plate IN (SELECT plate FROM push_log_plates WHERE plate LIKE ? ESCAPE '\\')`);
        } else {
          where.push(`+plate LIKE ? ESCAPE '\\'`);
        }
        params.push(pattern);
      }
      if (q.key) {
        where.push('record_key = ?');
        params.push(q.key);
      }
      if (q.from !== undefined) {
        where.push('at >= ?');
        params.push(q.from);
      }
      if (q.to !== undefined) {
        where.push('at < ?');
        params.push(q.to);
      }
      if (q.beforeId !== undefined) {
        where.push('id < ?');
        params.push(q.beforeId);
      }
      const rows = sql
        .prepare(
          `SELECT * FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY id DESC LIMIT ${limit + 1}`,
        )
        .all(...params) as unknown as Row[];
      const page = rows.slice(0, limit).map(toRow);
      return { rows: page, nextBeforeId: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    /**
     * Rows older than `cutoff`, except those of records still in the outbox; then finished records with no log left.
     */
    prune(cutoff: number): { logRows: number; records: number } {
      const logRows = Number(pruneLog.run(cutoff).changes);
      const records = Number(pruneRecords.run(cutoff).changes);
      return { logRows, records };
    },
  };
}

export type LogRepo = ReturnType<typeof createLogRepo>;
