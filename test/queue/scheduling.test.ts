import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DB_FILE, openDb } from '../../electron/queue/db.ts';
import { migrate, SCHEMA_VERSION } from '../../electron/queue/migrations.ts';
import { createRecordsRepo } from '../../electron/queue/records-repo.ts';
import { mulberry32 } from '../../electron/sandbox/faults.ts';
import { parseRecord } from '../../shared/platform/endpoints.ts';
import { updateRecord } from '../fixtures/records.ts';
import { openHarness, until } from '../support/queue-harness.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const { sandbox, target } = useSandbox();

/** A records table filled in bulk: `due(i)` says whether record i is due at time 1000, `dep(i)` what it waits for. */
function table(n: number, due: (i: number) => boolean, dep: (i: number) => number | null = () => null) {
  const db = openDb(tempDir('sched'));
  const repo = createRecordsRepo(db.sql, () => 5);
  const record = parseRecord('update', updateRecord());
  db.tx(() => {
    for (let i = 1; i <= n; i++) {
      const id = repo.insert({
        endpoint: 'update',
        key: `K${i}`,
        plate: null,
        record,
        createdBy: null,
        dependsOn: dep(i),
        now: 0,
      });
      // Due times run against creation order, so ordering by due time would be caught.
      db.sql.prepare('UPDATE records SET next_attempt_at = ? WHERE id = ?').run(due(i) ? (n - i) % 1000 : 5000 + i, id);
    }
  });
  return { db, repo };
}

/** What due() must answer, worked out in plain code from the table itself. */
function expected(db: ReturnType<typeof openDb>, now: number, limit: number, skip: Set<number>): number[] {
  const rows = db.sql
    .prepare('SELECT id, state, next_attempt_at AS t, depends_on AS dep FROM records ORDER BY id')
    .all() as {
    id: number;
    state: string;
    t: number;
    dep: number | null;
  }[];
  const state = new Map(rows.map((r) => [r.id, r.state]));
  return rows
    .filter(
      (r) =>
        r.state === 'waiting' && r.t <= now && (r.dep === null || state.get(r.dep) === 'accepted') && !skip.has(r.id),
    )
    .map((r) => r.id)
    .slice(0, limit);
}

describe('which records are due, oldest first', () => {
  // Both plans (few due: sort them; many due: walk in id order) must give the one right answer.
  const cases: [string, number, (i: number) => boolean][] = [
    ['all due', 1000, () => true],
    ['a few due, the newest, behind a long backoff', 3000, (i) => i > 2990],
    ['a few due, scattered', 3000, (i) => i % 300 === 7],
    ['many due, after many not due', 3000, (i) => i > 2500],
    ['many due, every third', 3000, (i) => i % 3 === 0],
    ['none due', 500, () => false],
  ];
  for (const [name, n, due] of cases) {
    it(name, () => {
      const { db, repo } = table(n, due);
      const random = mulberry32(n);
      for (const limit of [1, 3, 32]) {
        const skip = new Set(expected(db, 1000, 4, new Set()).filter(() => random() < 0.5));
        expect(repo.due(1000, limit, [...skip]).map((r) => r.id)).toEqual(expected(db, 1000, limit, skip));
      }
      db.close();
    });
  }

  it('a record waiting for another is due only once that one is accepted', () => {
    // 400 records, each odd one waiting for the one before it: many due, half of them held back.
    const { db, repo } = table(
      400,
      () => true,
      (i) => (i % 2 === 0 ? i - 1 : null),
    );
    expect(repo.due(1000, 5, []).map((r) => r.id)).toEqual([1, 3, 5, 7, 9]);
    db.sql.prepare(`UPDATE records SET state = 'accepted' WHERE id IN (1, 3)`).run();
    expect(repo.due(1000, 5, []).map((r) => r.id)).toEqual(expected(db, 1000, 5, new Set()));
    expect(repo.due(1000, 5, []).map((r) => r.id)).toEqual([2, 4, 5, 7, 9]);
    db.close();
  });

  it('a record listed as due but cancelled meanwhile is not sent', async () => {
    const h = openHarness(target(), { concurrency: 1 });
    sandbox().setFaults([{ kind: 'delay', delayMs: 100, count: 1 }]);
    const ids = [...Array(4)].map(
      (_, i) => h.queue.enqueue('update', updateRecord({ flow_no: undefined, parking_serial: `PS-C-${i}` })).id,
    );
    h.queue.start();
    // The first is in flight; the others sit in the worker's list of due records.
    await until(() => h.queue.status().inFlight === 1);
    h.queue.cancel(ids[2]!, '经理', '重复录入');
    await h.queue.idle();
    expect(
      sandbox()
        .state()
        .accepted.update.map((r) => r.key),
    ).toEqual([0, 1, 3].map((i) => h.queue.get(ids[i]!)!.key));
    expect(h.queue.get(ids[2]!)!.state).toBe('cancelled');
    await h.close();
  });
});

describe('writing attempts', () => {
  it('says accepted only once it is on disk, and a stop writes every answer it has', async () => {
    const h = openHarness(target());
    const other = openDb(h.dir);
    const onDisk = (id: number) =>
      (other.sql.prepare('SELECT state FROM records WHERE id = ?').get(id) as { state: string }).state;
    const seen: string[] = [];
    h.queue.subscribe((e) => {
      if (e.type === 'record' && e.record.state === 'accepted') seen.push(onDisk(e.record.id));
    });
    const ids = [...Array(30)].map(
      (_, i) => h.queue.enqueue('update', updateRecord({ flow_no: undefined, parking_serial: `PS-W-${i}` })).id,
    );
    h.queue.start();
    await until(() => sandbox().state().accepted.update.length >= 10, 10_000);
    await h.queue.stop(2000);
    const accepted = sandbox().state().accepted.update.length;
    // Everything the platform took before the stop is accepted on disk; nothing is half-done.
    expect(ids.filter((id) => onDisk(id) === 'accepted')).toHaveLength(accepted);
    expect(ids.every((id) => ['accepted', 'waiting'].includes(onDisk(id)))).toBe(true);
    expect(seen.length).toBe(accepted);
    expect(seen.every((s) => s === 'accepted')).toBe(true);
    expect(h.queue.queryLog({ limit: 1000 }).rows).toHaveLength(accepted);
    other.close();
    await h.close();
  });
});

describe('schema versions', () => {
  const version2Migrated =
    'a version 2 database with records waiting is brought to the current version, keeping them and their order';
  it(version2Migrated, async () => {
    const dir = tempDir('v2');
    const old = new DatabaseSync(join(dir, DB_FILE));
    migrate(old, 2);
    const insert = old.prepare(
      `INSERT INTO records (endpoint, key, plate, payload, state, attempts, next_attempt_at, created_at, updated_at)
       VALUES ('update', ?, '粤B12345', ?, 'waiting', 0, 0, 0, 0)`,
    );
    for (let i = 0; i < 3; i++) insert.run(`V2-${i}`, JSON.stringify(updateRecord({ flow_no: `V2-${i}` })));
    old.close();

    const h = openHarness(target(), {}, dir);
    expect(Number((h.db.sql.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)).toBe(
      SCHEMA_VERSION,
    );
    const indexes = (
      h.db.sql.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]
    ).map((r) => r.name);
    expect(indexes).toContain('records_waiting_due');
    expect(indexes).not.toContain('records_waiting');
    h.queue.start();
    await h.queue.idle();
    expect(
      sandbox()
        .state()
        .accepted.update.map((r) => r.key),
    ).toEqual(['V2-0', 'V2-1', 'V2-2']);
    await h.close();
  });
});
