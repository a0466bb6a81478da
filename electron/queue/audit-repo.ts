/** Who cancelled, edited, paused or resumed what, and when. */
import type { DatabaseSync } from 'node:sqlite';
import type { AuditEntry } from '../../shared/contract/queue.ts';

interface Row {
  id: number;
  at: number;
  record_id: number | null;
  action: string;
  actor: string;
  reason: string | null;
  before: string | null;
  after: string | null;
}

export function createAuditRepo(sql: DatabaseSync) {
  const insert = sql.prepare(
    'INSERT INTO audit (at, record_id, action, actor, reason, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const parse = (s: string | null) => (s === null ? null : (JSON.parse(s) as Record<string, unknown>));
  return {
    add(e: Omit<AuditEntry, 'id'>): void {
      insert.run(
        e.at,
        e.recordId,
        e.action,
        e.actor,
        e.reason,
        e.before ? JSON.stringify(e.before) : null,
        e.after ? JSON.stringify(e.after) : null,
      );
    },
    list(recordId?: number): AuditEntry[] {
      const rows = (recordId === undefined
        ? sql.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT 500').all()
        : sql.prepare('SELECT * FROM audit WHERE record_id = ? ORDER BY id DESC').all(recordId)) as unknown as Row[];
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        recordId: r.record_id,
        action: r.action as AuditEntry['action'],
        actor: r.actor,
        reason: r.reason,
        before: parse(r.before),
        after: parse(r.after),
      }));
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
