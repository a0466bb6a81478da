import { describe, expect, it } from 'vitest';
import { openDb } from '../../electron/queue/db.ts';
import { createQueue } from '../../electron/queue/queue.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { updateRecord, vipRow } from '../fixtures/records.ts';
import { openHarness, until } from '../support/queue-harness.ts';
import { useSandbox } from '../support/sandbox.ts';

const { sandbox, target } = useSandbox();

describe('enqueue', () => {
  it('is on disk when it returns: a second connection sees it, and a reopened database keeps it', async () => {
    const h = openHarness(target());
    const { id, key } = h.queue.enqueue('update', updateRecord({ flow_no: undefined }), { actor: '张三' });
    expect(key).toMatch(/^T1-F-\d{8}-\d{9}-[0-9A-Z]{8}$/);
    const other = openDb(h.dir);
    expect((other.sql.prepare('SELECT key, state FROM records WHERE id = ?').get(id) as { key: string }).key).toBe(key);
    other.close();
    await h.close();
    const again = openHarness(target(), {}, h.dir);
    expect(again.queue.get(id)).toMatchObject({ key, state: 'waiting', createdBy: '张三' });
    await again.close();
  });

  it('keeps a given key, mints none twice, and treats the same record twice as one', async () => {
    const h = openHarness(target());
    const rec = updateRecord({ flow_no: 'MY-KEY-1' });
    const a = h.queue.enqueue('update', rec);
    expect(h.queue.enqueue('update', rec)).toEqual({ ...a, existing: true });
    expect(() => h.queue.enqueue('update', { ...rec, reason: '别的原因' })).toThrow(/MY-KEY-1 已存在/);
    const keys = new Set(
      [...Array(20)].map(
        (_, i) => h.queue.enqueue('update', updateRecord({ flow_no: undefined, parking_serial: `PS-${i}` })).key,
      ),
    );
    expect(keys.size).toBe(20);
    // Without a key, the same content again is the same record (a file enqueued twice), not a new one.
    const again = h.queue.enqueue('update', updateRecord({ flow_no: undefined, parking_serial: 'PS-3' }));
    expect(again.existing).toBe(true);
    await h.close();
  });

  it('refuses a bad record naming every field, and stores nothing', async () => {
    const h = openHarness(target());
    expect(() => h.queue.enqueue('update', updateRecord({ plate: '', operate_time: 'x' }))).toThrow(RecordError);
    expect(h.queue.status().counts.waiting).toBe(0);
    await h.close();
  });
});

describe('sending', () => {
  it('delivers in creation order and logs each attempt with its seqno', async () => {
    const h = openHarness(target(), { concurrency: 1 });
    const keys = [...Array(5)].map((_, i) => h.queue.enqueue('update', updateRecord({ plate: `粤B1234${i}` })).key);
    h.queue.start();
    await h.queue.idle();
    expect(
      sandbox()
        .state()
        .accepted.update.map((r) => r.key),
    ).toEqual(keys);
    const page = h.queue.queryLog({});
    expect(page.rows.map((r) => r.recordKey)).toEqual([...keys].reverse());
    expect(page.rows[0]).toMatchObject({ outcome: 'accepted', code: '1001', attempt: 1 });
    expect(page.rows[0]!.seqno).toBe(sandbox().state().accepted.update[4]!.seqno);
    expect(page.rows[0]!.plainMasked).toContain('&app_secret=***');
    expect(h.queue.status()).toMatchObject({ counts: { accepted: 5, waiting: 0 }, paused: null });
    expect(h.events.filter((e) => e.type === 'log')).toHaveLength(5);
    await h.close();
  });

  it('signs with the credentials in force at each attempt: fixing a wrong secret fixes the backlog', async () => {
    const h = openHarness(target({ appSecret: 'wrong' }));
    for (let i = 0; i < 5; i++) h.queue.enqueue('update', updateRecord());
    h.queue.start();
    await h.queue.idle();
    const status = h.queue.status();
    expect(status.paused).toMatchObject({ kind: 'auth', code: '401' });
    // Paused at once: only the requests already in flight (concurrency 2) met the wrong secret.
    expect(sandbox().state().received).toBeLessThanOrEqual(2);
    expect(status.counts.waiting).toBe(5);
    expect(h.queue.list({ states: ['attention'] })).toHaveLength(0);
    h.config.target = target();
    h.queue.credentialsChanged();
    await until(() => h.queue.status().counts.accepted === 5);
    expect(h.queue.status().paused).toBeNull();
    await h.close();
  });

  const rejectedRecordEditedOrCancelled =
    'a 400 stops that record for a person; it is edited and resubmitted with the same key, or cancelled, audited';
  it(rejectedRecordEditedOrCancelled, async () => {
    const h = openHarness(target());
    sandbox().setFaults([{ kind: 'error', httpStatus: 400, count: 2 }]);
    const a = h.queue.enqueue('update', updateRecord());
    const b = h.queue.enqueue('update', updateRecord());
    h.queue.start();
    await h.queue.idle();
    expect(
      h.queue
        .list({ states: ['attention'] })
        .map((r) => r.id)
        .sort(),
    ).toEqual([a.id, b.id]);
    expect(() => h.queue.resubmit(a.id, '李四', updateRecord({ flow_no: 'OTHER' }))).toThrow(/幂等键不能修改/);
    const edited = h.queue.resubmit(a.id, '李四', { ...h.queue.get(a.id)!.record, reason: '道闸故障' });
    expect(edited).toMatchObject({ state: 'waiting', key: a.key });
    await until(() => h.queue.get(a.id)!.state === 'accepted');
    expect(
      sandbox()
        .state()
        .accepted.update.find((r) => r.key === a.key)!.fields.reason,
    ).toBe('道闸故障');
    expect(() => h.queue.cancel(b.id, '王经理', ' ')).toThrow(/原因/);
    expect(h.queue.cancel(b.id, '王经理', '重复录入')).toMatchObject({ state: 'cancelled', cancelReason: '重复录入' });
    expect(h.queue.audit().map((e) => [e.action, e.actor, e.recordId])).toEqual([
      ['cancel', '王经理', b.id],
      ['edit', '李四', a.id],
    ]);
    await h.close();
  });

  it('ignored (a hint) needs attention while integrating, and counts as accepted in production', async () => {
    const h = openHarness(target({ appSecret: 'wrong' }));
    const leave = {
      parking_serial: 'PS-I',
      plate_color: '1',
      enter_time: '1624874732253',
      leave_time: '1624937505093',
      car_type: '1',
      car_desc: '临停',
      charge_type: '1',
    };
    const a = h.queue.enqueue('leave', leave);
    h.queue.start();
    await h.queue.idle();
    expect(h.queue.get(a.id)).toMatchObject({ state: 'attention', last: { outcome: 'ignored' } });
    expect(h.queue.queryLog({ key: a.key }).rows[0]!.diagnosis?.identical).toBe(true);
    h.config.target = target({ appSecret: 'wrong', mode: 'production' });
    h.queue.resubmit(a.id, '张三');
    await until(() => h.queue.get(a.id)!.state === 'accepted');
    await h.close();
  });

  it('a VIP full upload goes strictly batch after batch, complete=1 on the first only', async () => {
    const h = openHarness(target(), { concurrency: 4 });
    const rows = [...Array(7)].map((_, i) => vipRow({ plate: `粤V0000${i}` }));
    const batches = h.queue.enqueueVipFullUpload(rows, 3);
    expect(batches).toHaveLength(3);
    expect(h.queue.get(batches[0]!.id)!.record.complete).toBe(1);
    expect(h.queue.get(batches[1]!.id)!.record.complete).toBeUndefined();
    expect(h.queue.get(batches[2]!.id)!.dependsOn).toBe(batches[1]!.id);
    sandbox().setFaults([{ kind: 'error', httpStatus: 503, endpoint: 'vip-recharge', count: 2 }]);
    h.queue.start();
    await h.queue.idle();
    const requests = sandbox()
      .state()
      .requests.filter((r) => r.endpoint === 'vip-recharge');
    // Two 503s on the first batch, then each batch once, in order: never a later batch before the first is accepted.
    expect(requests.map((r) => r.code)).toEqual(['503', '503', '1001', '1001', '1001']);
    expect(sandbox().state().completes).toBe(1);
    expect(
      sandbox()
        .state()
        .accepted.vip.map((r) => r.row.plate),
    ).toEqual(rows.map((r) => r.plate));
    await h.close();
  });

  const cancelCascadesToLaterBatches =
    'cancelling a batch a person had to look at cancels the later batches of its upload too, each audited';
  it(cancelCascadesToLaterBatches, async () => {
    const h = openHarness(target());
    const other = h.queue.enqueue('update', updateRecord());
    const batches = h.queue.enqueueVipFullUpload(
      [...Array(7)].map((_, i) => vipRow({ plate: `粤V1000${i}` })),
      3,
    );
    sandbox().setFaults([{ kind: 'error', httpStatus: 400, endpoint: 'vip-recharge', count: 1 }]);
    h.queue.start();
    await h.queue.idle();
    expect(batches.map((b) => h.queue.get(b.id)!.state)).toEqual(['attention', 'waiting', 'waiting']);
    h.queue.cancel(batches[0]!.id, '王经理', '表格有误, 重新导入');
    expect(batches.map((b) => h.queue.get(b.id)!.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(h.queue.get(batches[2]!.id)!.cancelReason).toBe(`前序记录 #${batches[0]!.id} 已作废: 表格有误, 重新导入`);
    expect(h.queue.audit().map((e) => [e.action, e.actor, e.recordId])).toEqual(
      [...batches].reverse().map((b) => ['cancel', '王经理', b.id]),
    );
    expect(h.queue.get(other.id)!.state).toBe('accepted');
    expect(h.queue.status().counts).toMatchObject({ waiting: 0, attention: 0, cancelled: 3 });
    expect(sandbox().state().accepted.vip).toEqual([]);
    await h.close();
  });

  it('names a bad row by its place in the whole upload', async () => {
    const h = openHarness(target());
    const rows = [...Array(5)].map(() => vipRow());
    rows[4] = vipRow({ vip_type: '99' });
    expect(() => h.queue.enqueueVipFullUpload(rows, 2)).toThrow(/row\[4\]\.vip_type/);
    expect(h.queue.status().counts.waiting).toBe(0);
    await h.close();
  });

  it('after a crash, what was in flight is sent again with its key', async () => {
    const h = openHarness(target());
    const { id, key } = h.queue.enqueue('update', updateRecord());
    h.db.sql.prepare(`UPDATE records SET state = 'sending', attempts = 1 WHERE id = ?`).run(id);
    await h.close();
    const again = openHarness(target(), {}, h.dir);
    again.queue.start();
    await again.queue.idle();
    expect(again.queue.get(id)).toMatchObject({ state: 'accepted', attempts: 2 });
    expect(
      sandbox()
        .state()
        .accepted.update.map((r) => r.key),
    ).toEqual([key]);
    await again.close();
  });

  it('stop waits for requests in flight, and leaves nothing half-done', async () => {
    const h = openHarness(target());
    sandbox().setFaults([{ kind: 'delay', delayMs: 150 }]);
    const { id } = h.queue.enqueue('update', updateRecord());
    h.queue.start();
    await until(() => h.queue.status().inFlight === 1);
    await h.queue.stop(2000);
    expect(h.queue.get(id)!.state).toBe('accepted');
    await h.close();
  });

  it('stop gives up on a hanging request at its bound and puts the record back to waiting', async () => {
    const h = openHarness(target());
    sandbox().setFaults([{ kind: 'hang' }]);
    h.config.target = target();
    const { id } = h.queue.enqueue('update', updateRecord());
    h.queue.start();
    await until(() => h.queue.status().inFlight === 1);
    const t = Date.now();
    await h.queue.stop(100);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(h.queue.get(id)!.state).toBe('waiting');
    await h.close();
  });
});

describe('push log', () => {
  it('filters by endpoint, outcome, plate (or its beginning), key and time, newest first, paged', async () => {
    const h = openHarness(target(), { concurrency: 1 });
    sandbox().setFaults([{ kind: 'error', httpStatus: 503, count: 1 }]);
    for (let i = 0; i < 6; i++)
      h.queue.enqueue('update', updateRecord({ plate: i < 3 ? `粤A0000${i}` : `京B0000${i}` }));
    h.queue.start();
    await h.queue.idle();
    expect(h.queue.queryLog({}).rows).toHaveLength(7);
    expect(h.queue.queryLog({ outcome: 'retry' }).rows).toHaveLength(1);
    const byPlate = h.queue.queryLog({ plate: '粤A' }).rows;
    expect(byPlate.map((r) => r.plate).sort()).toEqual(['粤A00000', '粤A00000', '粤A00001', '粤A00002']);
    expect(byPlate.map((r) => r.id)).toEqual(byPlate.map((r) => r.id).sort((a, b) => b - a));
    expect(h.queue.queryLog({ plate: '京B00004' }).rows).toHaveLength(1);
    expect(h.queue.queryLog({ endpoint: 'leave' }).rows).toHaveLength(0);
    const first = h.queue.queryLog({ limit: 4 });
    const second = h.queue.queryLog({ limit: 4, beforeId: first.nextBeforeId! });
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(h.queue.queryLog({}).rows.map((r) => r.id));
    expect(second.nextBeforeId).toBeNull();
    const mid = h.queue.queryLog({}).rows[3]!.at;
    expect(h.queue.queryLog({ from: mid }).rows.every((r) => r.at >= mid)).toBe(true);
    expect(h.queue.queryLog({ to: mid }).rows.every((r) => r.at < mid)).toBe(true);
    await h.close();
  });

  it('prunes rows past retention but never a record still in the outbox, nor its log', async () => {
    const h = openHarness(target(), { logRetentionDays: 30 });
    sandbox().setFaults([{ kind: 'error', httpStatus: 400, count: 1 }]);
    const stuck = h.queue.enqueue('update', updateRecord());
    const done = h.queue.enqueue('update', updateRecord());
    h.queue.start();
    await h.queue.idle();
    const later = Date.now() + 31 * 24 * 3600 * 1000;
    expect(h.queue.prune(later)).toEqual({ logRows: 1, records: 1 });
    expect(h.queue.get(stuck.id)!.state).toBe('attention');
    expect(h.queue.get(done.id)).toBeNull();
    expect(h.queue.queryLog({}).rows.map((r) => r.recordId)).toEqual([stuck.id]);
    await h.close();
  });

  it('keeps an old renewal batch: an import knows its rows were sent by it (pruning does not fail)', async () => {
    const h = openHarness(target(), { logRetentionDays: 30 });
    const row = vipRow({ plate: '粤V20001' });
    const batch = h.queue.enqueue('vip-recharge', { row: [row] });
    h.queue.start();
    await h.queue.idle();
    const later = Date.now() + 31 * 24 * 3600 * 1000;
    expect(h.queue.prune(later)).toEqual({ logRows: 1, records: 0 });
    expect(h.queue.get(batch.id)!.state).toBe('accepted');
    expect(h.queue.enqueue('vip-recharge', { row: [row] }).existing).toBe(true);
    await h.close();
  });
});

describe('schema', () => {
  it('refuses a database from a newer version instead of damaging it', async () => {
    const h = openHarness(target());
    h.db.sql.exec('PRAGMA user_version = 99');
    await h.close();
    expect(() => openDb(h.dir)).toThrow(/比本程序.*新/);
  });

  it('works on its own with the default clock', () => {
    const h = openHarness(target());
    expect(typeof createQueue).toBe('function');
    expect(h.queue.status().counts).toEqual({ waiting: 0, sending: 0, accepted: 0, attention: 0, cancelled: 0 });
    return h.close();
  });
});
