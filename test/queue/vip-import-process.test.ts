/**
 * A VIP import run by another process on the same data folder (the command line beside a running console): killed in
 * the middle, it leaves nothing queued and nothing sent; still running, a console that starts meanwhile keeps its
 * staging (and sends none of it) until it commits, and then sends it all.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, it } from 'vitest';
import { DB_FILE } from '../../electron/queue/db.ts';
import { openHarness, until } from '../support/queue-harness.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';
import { importRows, staging, startImportChild } from './vip-import-helpers.ts';

const { sandbox, target } = useSandbox();

it('killed (SIGKILL) in the middle of an import: nothing of it queued or sent; imported again, all of it', async () => {
  const dir = tempDir('vip-kill');
  const child = startImportChild(dir, 4000, 2000, 'K');
  await child.line((m) => m.paused !== undefined);
  child.child.kill('SIGKILL');
  expect((await child.exited).signal).toBe('SIGKILL');
  // What the kill left: the staging of an import never committed.
  const raw = new DatabaseSync(join(dir, DB_FILE));
  const left = staging(raw);
  raw.close();
  expect(left.open).toBe(1);
  expect(left.records).toBeGreaterThanOrEqual(4);
  expect(left.rows).toBeGreaterThanOrEqual(2000);

  const h = openHarness(target(), {}, dir);
  try {
    expect(staging(h.db.sql)).toEqual({ imports: 0, open: 0, records: 0, rows: 0 });
    expect(h.queue.status().counts).toMatchObject({ waiting: 0, sending: 0, accepted: 0 });
    h.queue.start();
    await h.queue.idle();
    expect(sandbox().state().requests).toEqual([]);
    const rows = importRows(4000, { city: 'K' });
    expect(h.queue.classifyVipRows(rows).every((c) => c.status === 'new')).toBe(true);
    const results = await h.queue.importVipRows(rows, { batchSize: 500 });
    expect(results.reduce((n, r) => n + r.rows!.length, 0)).toBe(4000);
    await h.queue.idle();
    expect(sandbox().state().accepted.vip).toHaveLength(4000);
  } finally {
    await h.close();
  }
}, 60_000);

it('a console that starts while another process imports keeps that staging, sends none of it, then all', async () => {
  const dir = tempDir('vip-live');
  const child = startImportChild(dir, 3000, 1500, 'L');
  const h = openHarness(target(), {}, dir);
  try {
    await child.line((m) => m.paused !== undefined);
    // A second console opening now (and its worker running) leaves the live import alone.
    const other = openHarness(target(), {}, dir);
    const left = staging(other.db.sql);
    await other.close();
    expect(left.open).toBe(1);
    expect(left.rows).toBeGreaterThanOrEqual(1500);
    h.queue.start();
    await h.queue.idle();
    expect(h.queue.status().counts.waiting).toBe(0);
    expect(sandbox().state().requests).toEqual([]);

    child.go();
    const done = await child.line((m) => m.results !== undefined);
    expect(done.results).toBe(6);
    expect((await child.exited).code).toBe(0);
    // The worker looks at the database every few seconds: what the other process committed is sent.
    await until(() => sandbox().state().accepted.vip.length === 3000, 30_000);
    expect(staging(h.db.sql)).toMatchObject({ open: 0, records: 0, rows: 0 });
  } finally {
    await h.close();
  }
}, 60_000);
