/**
 * Issue 9 ("The manager"): 推送日志 finds a plate typed in part, anywhere in the plate (B12345 finds 粤B12345),
 * normalised as a guard types it; served by the push-log plates table (schema 5), kept by triggers.
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE, openDb } from '../../electron/queue/db.ts';
import { createLogRepo } from '../../electron/queue/log-repo.ts';
import { migrate } from '../../electron/queue/migrations.ts';
import type { PushLogRow } from '../../shared/contract/queue.ts';
import { tempDir } from '../support/sandbox.ts';

function row(i: number, plate: string | null, at = 1_700_000_000_000 + i * 1000): Omit<PushLogRow, 'id'> {
  return {
    at,
    endpoint: 'update',
    recordId: i,
    recordKey: `KEY-${i}`,
    plate,
    attempt: 1,
    fields: { plate: plate ?? '' },
    files: [],
    plainMasked: '',
    baseUrl: 'http://127.0.0.1',
    httpStatus: 200,
    code: '1001',
    message: 'OK',
    hint: null,
    seqno: null,
    latencyMs: 1,
    outcome: 'accepted',
    error: null,
    diagnosis: null,
  };
}

const PLATES = ['粤B12345', '粤B123456', '京A12345', '粤BD12345', '沪C00001', '无牌车'];

function filled() {
  const db = openDb(tempDir('plates'));
  const log = createLogRepo(db.sql);
  db.tx(() => {
    for (let i = 0; i < 60; i++) log.insert(row(i, PLATES[i % PLATES.length]!));
    log.insert(row(60, null));
  });
  return { db, log, plates: (q: string, limit?: number) => log.query({ plate: q, ...(limit ? { limit } : {}) }) };
}

describe('the push log by part of a plate', () => {
  it('matches anywhere in the plate, newest first, typed in any case and with spaces', () => {
    const { db, plates } = filled();
    try {
      const distinct = (q: string) => [...new Set(plates(q, 1000).rows.map((r) => r.plate))].sort();
      expect(distinct('B12345')).toEqual(['粤B12345', '粤B123456']);
      expect(distinct('b 123-45')).toEqual(['粤B12345', '粤B123456']);
      expect(distinct('12345')).toEqual(['京A12345', '粤B12345', '粤B123456', '粤BD12345']);
      expect(distinct('粤B12345')).toEqual(['粤B12345', '粤B123456']);
      expect(distinct('粤B')).toEqual(['粤B12345', '粤B123456', '粤BD12345']);
      expect(distinct('牌')).toEqual(['无牌车']);
      expect(plates('XYZ').rows).toEqual([]);
      // Not a LIKE pattern: % and \ are plain text.
      expect(plates('%').rows).toEqual([]);
      expect(plates('\\').rows).toEqual([]);
      const ids = plates('B12345').rows.map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    } finally {
      db.close();
    }
  });

  it('pages by beforeId through every match, whichever way it reads them', () => {
    const { db, log } = filled();
    try {
      for (const q of ['B12345', '1']) {
        const all = log.query({ plate: q, limit: 1000 }).rows.map((r) => r.id);
        const paged: number[] = [];
        let before: number | undefined;
        for (;;) {
          const page = log.query({ plate: q, limit: 7, ...(before ? { beforeId: before } : {}) });
          paged.push(...page.rows.map((r) => r.id));
          if (page.nextBeforeId === null) break;
          before = page.nextBeforeId;
        }
        expect(paged).toEqual(all);
      }
    } finally {
      db.close();
    }
  });

  it('keeps the plates table as rows come and go (pruning)', () => {
    const { db, log, plates } = filled();
    try {
      const count = () =>
        Object.fromEntries(
          (
            db.sql.prepare('SELECT plate, rows FROM push_log_plates ORDER BY plate').all() as {
              plate: string;
              rows: number;
            }[]
          ).map((r) => [r.plate, r.rows]),
        );
      expect(count()).toMatchObject({ 粤B12345: 10, 无牌车: 10 });
      db.sql.exec(`DELETE FROM push_log WHERE id IN (SELECT id FROM push_log WHERE plate = '粤B12345' LIMIT 4)`);
      expect(count().粤B12345).toBe(6);
      db.sql.exec(`DELETE FROM push_log WHERE plate = '沪C00001'`);
      expect(count().沪C00001).toBeUndefined();
      expect(plates('C0000').rows).toEqual([]);
      log.insert(row(100, '沪C00001'));
      expect(plates('C0000').rows.map((r) => r.recordId)).toEqual([100]);
    } finally {
      db.close();
    }
  });

  it('a version 4 database gets the plates of the rows it already has', () => {
    const dir = tempDir('v4');
    const old = new DatabaseSync(join(dir, DB_FILE));
    migrate(old, 4);
    const v4 = createLogRepoV4(old);
    for (let i = 0; i < 12; i++) v4(i, PLATES[i % PLATES.length]!);
    old.close();
    const db = openDb(dir);
    try {
      const log = createLogRepo(db.sql);
      expect(log.query({ plate: 'B12345' }).rows).toHaveLength(4);
    } finally {
      db.close();
    }
  });
});

/** Rows as a version 4 database has them (no plates table yet). */
function createLogRepoV4(sql: DatabaseSync) {
  const insert = sql.prepare(
    `INSERT INTO push_log (at, endpoint, record_id, record_key, plate, attempt, fields, files, plain_masked, base_url,
       latency_ms, outcome) VALUES (?, 'update', ?, ?, ?, 1, '{}', '[]', '', '', 1, 'accepted')`,
  );
  return (i: number, plate: string) => insert.run(i, i, `K-${i}`, plate);
}
