/** The push log: one row per attempt, never the bytes of an image, never the secret. */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { LogPage, LogQuery, PushLogRow } from '../../shared/contract/queue.ts';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import type { OutcomeKind, SignatureDiagnosis } from '../../shared/platform/outcome.ts';

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
       AND id NOT IN (SELECT record_id FROM push_log)`,
  );

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

    /** Newest first, keyset paged; every filter is served by an index. */
    query(q: LogQuery): LogPage {
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      if (q.endpoint) {
        where.push('endpoint = ?');
        params.push(q.endpoint);
      }
      if (q.outcome) {
        where.push('outcome = ?');
        params.push(q.outcome);
      }
      if (q.plate) {
        // A plate or its beginning: a range on the plate index, not a scan.
        where.push('plate >= ? AND plate < ?');
        params.push(q.plate, `${q.plate}\uffff`);
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
      const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), LOG_PAGE_MAX);
      const rows = sql
        .prepare(
          `SELECT * FROM push_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
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
