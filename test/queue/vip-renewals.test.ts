/**
 * What a new renewal's form asks the queue: the plate's last renewal (to start the day after it ends) and the charge
 * types in use; from an index of the rows (schema 6), also for rows stored before that schema.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE, openDb } from '../../electron/queue/db.ts';
import { fingerprint } from '../../electron/queue/fingerprint.ts';
import { migrate } from '../../electron/queue/migrations.ts';
import { parseRecord } from '../../shared/platform/endpoints.ts';
import { vipRow } from '../fixtures/records.ts';
import { openHarness, type Harness } from '../support/queue-harness.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const { target } = useSandbox();

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const renewal = (plate: string, end: string, over: Record<string, unknown> = {}) =>
  vipRow({ plate, renewal_start_time: '2025-12-31T16:00:00Z', renewal_end_time: end, ...over });

describe('lastRenewal', () => {
  it('is the row that ends last, not cancelled, ties by the newest; null for a plate never renewed here', () => {
    h = openHarness(target());
    const q = h.queue;
    q.enqueue('vip-recharge', { row: [renewal('粤B11111', '2026-03-31T15:59:59Z', { pay_partner: 'A-1' })] });
    const later = q.enqueue('vip-recharge', {
      row: [renewal('粤B11111', '2026-06-30T15:59:59Z', { pay_partner: 'A-2', charge_type: '月租' })],
    });
    // Queued after, but ending before: not the last renewal.
    q.enqueue('vip-recharge', { row: [renewal('粤B11111', '2026-04-30T15:59:59Z', { pay_partner: 'A-3' })] });
    // The latest end, but cancelled: it never went.
    const cancelled = q.enqueue('vip-recharge', {
      row: [renewal('粤B11111', '2027-01-31T15:59:59Z', { pay_partner: 'A-4' })],
    });
    q.cancel(cancelled.id, '经理', '录错');
    // Another plate's row in the same batch as one of this plate.
    q.enqueue('vip-recharge', {
      row: [renewal('粤C22222', '2030-01-31T15:59:59Z', { pay_partner: 'C-1' })],
    });

    const last = q.lastRenewal('粤b·11111'); // typed as a person types it
    expect(last).toMatchObject({
      recordId: later.id,
      state: 'waiting',
      row: { plate: '粤B11111', pay_partner: 'A-2', charge_type: '月租', renewal_end_time: '2026-06-30T15:59:59Z' },
    });
    expect(last!.at).toBe(q.get(later.id)!.createdAt);

    // The same end twice: the newest.
    const tie = q.enqueue('vip-recharge', {
      row: [renewal('粤B11111', '2026-06-30T15:59:59Z', { pay_partner: 'A-5' })],
    });
    expect(q.lastRenewal('粤B11111')).toMatchObject({ recordId: tie.id, row: { pay_partner: 'A-5' } });
    expect(q.lastRenewal('粤D33333')).toBeNull();
    expect(q.lastRenewal('not a plate')).toBeNull();
  });

  it('follows an edited batch (resubmit): the row says what the batch says now', () => {
    h = openHarness(target());
    const q = h.queue;
    const r = q.enqueue('vip-recharge', { row: [renewal('粤B44444', '2026-03-31T15:59:59Z', { pay_partner: 'E-1' })] });
    const stored = q.get(r.id)!.record as { row: Record<string, unknown>[] };
    q.resubmit(r.id, '经理', {
      row: [{ ...stored.row[0]!, renewal_end_time: '2026-09-30T15:59:59Z', charge_type: '季租' }],
    });
    expect(q.lastRenewal('粤B44444')).toMatchObject({ row: { renewal_end_time: '2026-09-30T15:59:59Z' } });
    expect(q.chargeTypes()).toEqual(['季租']);
  });
});

describe('chargeTypes', () => {
  it('lists the distinct charge types queued, most recent first, without those only in cancelled batches', () => {
    h = openHarness(target());
    const q = h.queue;
    const types = ['月租', '年租', '月租', '员工车', '年租'];
    types.forEach((t, i) => {
      q.enqueue('vip-recharge', { row: [renewal(`粤B5000${i}`, '2026-03-31T15:59:59Z', { charge_type: t })] });
    });
    const gone = q.enqueue('vip-recharge', {
      row: [renewal('粤B59999', '2026-03-31T15:59:59Z', { charge_type: '作废类型' })],
    });
    expect(q.chargeTypes()).toContain('作废类型');
    q.cancel(gone.id, '经理', '录错');
    expect(q.chargeTypes()).toEqual(['年租', '员工车', '月租']);
    expect(q.chargeTypes(2)).toEqual(['年租', '员工车']);
  });

  it('stays fast with many rows and few types', async () => {
    h = openHarness(target());
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      vipRow({ plate: `粤E${String(i).padStart(5, '0')}`, charge_type: `类型${i % 9}`, pay_partner: `CT-${i}` }),
    );
    await h.queue.importVipRows(rows, { batchSize: 1000 });
    const t = performance.now();
    const list = h.queue.chargeTypes();
    const last = h.queue.lastRenewal('粤E12345');
    const ms = performance.now() - t;
    console.log(`chargeTypes + lastRenewal over 20,000 rows: ${ms.toFixed(2)} ms`);
    expect(list).toHaveLength(9);
    expect(last).toMatchObject({ row: { pay_partner: 'CT-12345' } });
    expect(ms).toBeLessThan(200); // generous; a few ms in fact
  });
});

describe('schema 6', () => {
  it('a version 5 database gets the plate, charge type and end of the rows it already has', () => {
    const dir = tempDir('v5');
    const old = new DatabaseSync(join(dir, DB_FILE));
    migrate(old, 5);
    const rows = [
      renewal('粤B66666', '2026-03-31T15:59:59Z', { pay_partner: 'OLD-1', charge_type: '月租' }),
      renewal('粤B66666', '2026-12-31T15:59:59Z', { pay_partner: 'OLD-2', charge_type: '年租' }),
    ];
    // As a version 5 console stored them: the rows as the record rules make them.
    const stored = (parseRecord('vip-recharge', { row: rows }) as { row: Record<string, unknown>[] }).row;
    const add = old.prepare(
      `INSERT INTO records (endpoint, key, plate, payload, state, created_at, updated_at)
       VALUES ('vip-recharge', ?, ?, ?, 'waiting', ?, ?)`,
    );
    const put = old.prepare('INSERT INTO vip_rows (pay_partner, record_id, fingerprint, minted) VALUES (?, ?, ?, 0)');
    stored.forEach((row, i) => {
      const id = Number(add.run(`B-${i}`, row.plate as string, JSON.stringify({ row: [row] }), i, i).lastInsertRowid);
      put.run(row.pay_partner as string, id, fingerprint(row, 'pay_partner'));
    });
    old.close();
    const db = openDb(dir);
    db.close();
    h = openHarness(target(), {}, dir);
    expect(h.queue.lastRenewal('粤B66666')).toMatchObject({ row: { pay_partner: 'OLD-2' } });
    expect(h.queue.chargeTypes()).toEqual(['年租', '月租']);
    // And the rows are still recognised as queued.
    expect(h.queue.classifyVipRows(rows).map((c) => c.status)).toEqual(['already', 'already']);
  });
});
