/** A renewal sent twice may renew a car twice: rows already queued are recognised, by key or by content. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordError } from '../../shared/records/fields.ts';
import { vipRow } from '../fixtures/records.ts';
import { openHarness, type Harness } from '../support/queue-harness.ts';
import { useSandbox } from '../support/sandbox.ts';
import { jsonLines, runCli, tempDir, toJsonLines } from './cli-helpers.ts';

const { target } = useSandbox();

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Rows the way a manager's file has them: some with the park's own order number, some without. */
function rows() {
  const { pay_partner: _a, ...m1 } = vipRow({ plate: '粤B20001' });
  const { pay_partner: _b, ...m2 } = vipRow({ plate: '粤B20002' });
  return [vipRow({ plate: '粤B20003', pay_partner: 'PP-ORDER-3' }), m1, m2];
}

describe('VIP rows enqueued again', () => {
  it('the same batch twice is queued once, its rows keeping the keys of the first time', () => {
    h = openHarness(target());
    const first = h.queue.enqueue('vip-recharge', { row: rows() });
    const second = h.queue.enqueue('vip-recharge', { row: rows() });
    expect(first).toMatchObject({ existing: false, rowsAlready: 0 });
    expect(second).toMatchObject({ existing: true, id: first.id, rowsAlready: 3, rows: first.rows });
    expect(h.queue.status().counts.waiting).toBe(1);
  });

  it('a later file with the same rows and one new row queues only the new row', () => {
    h = openHarness(target());
    h.queue.enqueue('vip-recharge', { row: rows() });
    const { pay_partner: _n, ...fresh } = vipRow({ plate: '粤B20004' });
    const next = h.queue.enqueue('vip-recharge', { row: [...rows(), fresh] });
    expect(next).toMatchObject({ existing: false, rowsAlready: 3 });
    const stored = h.queue.get(next.id)!.record.row as { plate: string }[];
    expect(stored.map((r) => r.plate)).toEqual(['粤B20004']);
  });

  it('a full upload (complete=1) is kept whole, and not queued again only when the same full upload is there', () => {
    h = openHarness(target());
    h.queue.enqueue('vip-recharge', { row: rows() });
    // Its rows were sent by an ordinary batch: the full upload still goes, whole (it empties the park's list first).
    const full = h.queue.enqueue('vip-recharge', { complete: 1, row: rows() });
    expect(full).toMatchObject({ existing: false, rowsAlready: 3 });
    expect((h.queue.get(full.id)!.record.row as unknown[]).length).toBe(3);
    // The same full upload again: there already.
    expect(h.queue.enqueue('vip-recharge', { complete: 1, row: rows() })).toMatchObject({
      existing: true,
      id: full.id,
    });
    const { pay_partner: _n, ...fresh } = vipRow({ plate: '粤B20005' });
    const bigger = h.queue.enqueue('vip-recharge', { complete: 1, row: [...rows(), fresh] });
    expect(bigger).toMatchObject({ existing: false, rowsAlready: 3 });
    // Leaving a row out of a full upload would delete it at the platform.
    expect((h.queue.get(bigger.id)!.record.row as unknown[]).length).toBe(4);
  });

  it('refuses two rows of one file that say the same without a key, rather than merging them', () => {
    h = openHarness(target());
    const [, m1] = rows();
    expect(() => h.queue.enqueue('vip-recharge', { row: [m1, m1] })).toThrow(/row\[1\]: 与 row\[0\] 完全相同/);
    expect(h.queue.status().counts.waiting).toBe(0);
  });

  it('an edited batch keeps its complete flag, takes no row another record holds, and frees rows edited out', () => {
    h = openHarness(target());
    const first = h.queue.enqueue('vip-recharge', { row: rows() });
    const second = h.queue.enqueue('vip-recharge', { row: [vipRow({ plate: '粤B20006', pay_partner: 'PP-6' })] });
    const stored = h.queue.get(second.id)!.record as { row: Record<string, unknown>[] };
    expect(() => h.queue.resubmit(second.id, '经理', { ...stored, complete: 1 })).toThrow(/complete.*不能修改/);
    const taken = { row: [{ ...stored.row[0]!, pay_partner: 'PP-ORDER-3' }] };
    expect(() => h.queue.resubmit(second.id, '经理', taken)).toThrow(
      new RegExp(`row\\[0\\]\\.pay_partner: PP-ORDER-3 已在记录 #${first.id} 中`),
    );
    // PP-6 edited out of its batch (replaced by PP-7): a later file with PP-6 is new, not "already queued".
    h.queue.resubmit(second.id, '经理', { row: [{ ...stored.row[0]!, pay_partner: 'PP-7' }] });
    const again = h.queue.enqueue('vip-recharge', { row: [vipRow({ plate: '粤B20006', pay_partner: 'PP-6' })] });
    expect(again).toMatchObject({ existing: false, rowsAlready: 0 });
  });

  it('a full upload enqueued twice queues its batches once', () => {
    h = openHarness(target());
    const list = [...Array(5)].map((_, i) => {
      const { pay_partner: _p, ...r } = vipRow({ plate: `粤B3000${i}` });
      return r;
    });
    const first = h.queue.enqueueVipFullUpload(list, 2);
    expect(first).toHaveLength(3);
    const again = h.queue.enqueueVipFullUpload(list, 2);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ existing: true, rowsAlready: 5 });
    expect(h.queue.status().counts.waiting).toBe(3);
  });

  it('the same key with other content is refused, naming the row; a cancelled batch does not count', () => {
    h = openHarness(target());
    const first = h.queue.enqueue('vip-recharge', { row: rows() });
    const changed = rows();
    changed[0] = { ...changed[0]!, pay_value: 99_900 };
    expect(() => h.queue.enqueue('vip-recharge', { row: changed })).toThrow(RecordError);
    expect(() => h.queue.enqueue('vip-recharge', { row: changed })).toThrow(
      /row\[0\]\.pay_partner: PP-ORDER-3 已存在且内容不同/,
    );
    h.queue.cancel(first.id, '经理', '测试作废');
    const again = h.queue.enqueue('vip-recharge', { row: rows() });
    expect(again).toMatchObject({ existing: false, rowsAlready: 0 });
  });

  it('enqueue of the same VIP file twice queues once and says how many were there', async () => {
    const tmp = tempDir('vip-twice-');
    h = openHarness(target());
    try {
      const data = join(tmp.dir, 'data');
      const file = tmp.file('vip.jsonl', toJsonLines([{ row: rows() }]));
      const one = await runCli(['enqueue', '--endpoint', 'vip-recharge', '--file', file, '--data-dir', data]);
      expect(one.code).toBe(0);
      const two = await runCli(['enqueue', '--endpoint', 'vip-recharge', '--file', file, '--data-dir', data]);
      expect(two.code).toBe(0);
      expect(two.stderr).toMatch(/新保存 0 条记录, 1 条此前已在队列中/);
      expect(jsonLines(two.stdout)[0]).toMatchObject({
        existing: true,
        rowsAlready: 3,
        rows: jsonLines(one.stdout)[0]!.rows,
      });
      const status = await runCli(['status', '--data-dir', data]);
      expect(JSON.parse(status.stdout).counts.waiting).toBe(1);
    } finally {
      tmp.remove();
    }
  });
});
