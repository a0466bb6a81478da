/**
 * A large VIP renewal import (queue.importVipRows) and its preview (queue.vipClassifier / classifyVipRows): one durable
 * step (all rows queued or none, whatever happens in the middle) that never holds the event loop for long.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/queue/db.ts';
import { lastImportTimings, STALE_IMPORT_MS } from '../../electron/queue/vip-import.ts';
import { setLogSink } from '../../electron/services/logger.ts';
import { parseRecord } from '../../shared/platform/endpoints.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { vipRow } from '../fixtures/records.ts';
import { openHarness, type Harness } from '../support/queue-harness.ts';
import { useSandbox } from '../support/sandbox.ts';
import { importRows, staging } from './vip-import-helpers.ts';

const { sandbox, target } = useSandbox();

let open: Harness[] = [];
function harness(dir?: string): Harness {
  const h = openHarness(target(), {}, dir);
  open.push(h);
  return h;
}
afterEach(async () => {
  for (const h of open.reverse()) await h.close().catch(() => {}); // a test may have closed its database itself
  open = [];
  setLogSink(null);
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const waiting = (h: Harness) => h.queue.status().counts.waiting;

describe('classifying rows for the preview', () => {
  it('says new, already (by key or by minted content) and bad, naming fields without a row prefix', () => {
    const h = harness();
    const [keyed, keyless, other] = importRows(3);
    const first = h.queue.enqueue('vip-recharge', { row: [keyed!, keyless!] });
    const lastKey = () => h.db.sql.prepare(`SELECT value FROM meta WHERE name = 'key_last_instant'`).get();
    const keyBefore = lastKey();
    const checks = [
      ...h.queue.classifyVipRows([
        keyed!, // same key, same content
        keyless!, // no key, same content as a row whose key was minted
        other!, // new
        { ...other!, pay_partner: 'OTHER-1', vip_type: '99', plate: '京' }, // schema
      ]),
      // Same key, other content (a list of its own: in the one above it would be a repeated key).
      ...h.queue.classifyVipRows([{ ...keyed!, pay_value: 1 }]),
    ];
    expect(checks[0]).toEqual({ status: 'already', payPartner: keyed!.pay_partner, recordId: first.id });
    expect(checks[1]).toEqual({ status: 'already', payPartner: first.rows![1], recordId: first.id });
    expect(checks[2]).toEqual({ status: 'new' });
    expect(checks[4]).toMatchObject({
      status: 'bad',
      issues: [{ field: 'pay_partner', message: expect.stringMatching(/已存在且内容不同 \(记录 #\d+\)/) }],
    });
    expect(checks[3]!.status).toBe('bad');
    const fields = (checks[3] as { issues: { field: string }[] }).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['plate', 'vip_type']);
    // Read only: nothing was stored, no key was minted.
    expect(waiting(h)).toBe(1);
    expect(lastKey()).toEqual(keyBefore);
  });

  it('finds a repeated pay_partner and a repeated keyless row across slices (the later one is bad)', () => {
    const h = harness();
    const rows = importRows(1200);
    rows.push({ ...rows[4]! }); // 1200: repeats row 4's pay_partner
    rows.push({ ...rows[5]! }); // 1201: the same keyless renewal as row 5
    rows.push({ ...rows[6]!, pay_partner: `  ${rows[6]!.pay_partner as string} ` }); // 1202: same key, spaces round it
    const whole = h.queue.classifyVipRows(rows);
    const classifier = h.queue.vipClassifier();
    const sliced = [];
    for (let i = 0; i < rows.length; i += 500) {
      expect(classifier.checked).toBe(i);
      sliced.push(...classifier.check(rows.slice(i, i + 500)));
    }
    expect(sliced).toEqual(whole);
    expect(whole.slice(0, 1200).every((c) => c.status === 'new')).toBe(true);
    expect(whole[1200]).toEqual({
      status: 'bad',
      issues: [{ field: 'pay_partner', message: '与 row[4] 重复' }],
      duplicateOf: 4,
    });
    expect(whole[1201]).toMatchObject({ status: 'bad', duplicateOf: 5, issues: [{ field: '(记录)' }] });
    expect(whole[1202]).toMatchObject({ status: 'bad', duplicateOf: 6 });
    // The caller may name rows its own way (a spreadsheet's row numbers).
    const named = h.queue.vipClassifier({ rowName: (i) => `第 ${i + 2} 行` }).check(rows);
    expect(named[1200]).toMatchObject({ issues: [{ message: '与 第 6 行 重复' }] });
  });

  it('20,000 rows in slices of 500 take well under 100 ms per 1,000 rows', async () => {
    const h = harness();
    const rows = importRows(20_000);
    // Half of them queued already, so that half the lookups find something.
    await h.queue.importVipRows(rows.slice(0, 10_000), { batchSize: 1000 });
    const classifier = h.queue.vipClassifier();
    let longest = 0;
    const started = performance.now();
    for (let i = 0; i < rows.length; i += 500) {
      const t = performance.now();
      classifier.check(rows.slice(i, i + 500));
      longest = Math.max(longest, performance.now() - t);
      await turn();
    }
    const perThousand = (performance.now() - started) / 20;
    const figure = `${perThousand.toFixed(1)} ms per 1,000 rows, longest slice of 500 ${longest.toFixed(1)} ms`;
    console.log(`classify 20,000 rows: ${figure}`);
    expect(perThousand).toBeLessThan(400); // generous: a loaded CI machine must not flake (target ~100 ms)
  }, 60_000);
});

describe('importing rows', () => {
  const notComplete = 'not complete: leaves out what is queued, the rest in independent batches; again: nothing';
  it(notComplete, async () => {
    const h = harness();
    const rows = importRows(2500);
    const form = h.queue.enqueue('vip-recharge', { row: [rows[10]!, rows[11]!] }); // two rows queued before
    const progress: number[] = [];
    const results = await h.queue.importVipRows(rows, {
      batchSize: 1000,
      actor: '李经理',
      onProgress: (done, total) => {
        expect(total).toBe(2500);
        progress.push(done);
      },
    });
    expect(results.map((r) => r.rows!.length)).toEqual([1000, 1000, 498]);
    expect(results[0]!.rowsAlready).toBe(2);
    expect(progress.at(-1)).toBe(2500);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    for (const r of results) {
      const rec = h.queue.get(r.id)!;
      expect(rec).toMatchObject({ state: 'waiting', dependsOn: null, createdBy: '李经理', key: r.key });
      expect(rec.record.complete).toBeUndefined();
      // Stored exactly as the record rules make it (what enqueue would store).
      expect(parseRecord('vip-recharge', rec.record)).toEqual(rec.record);
      expect((rec.record.row as { pay_partner: string }[]).map((x) => x.pay_partner)).toEqual(r.rows);
    }
    // Keys kept where given, minted where not (and never one of the list's own).
    const keys = results.flatMap((r) => r.rows!);
    expect(new Set(keys).size).toBe(2498);
    expect(keys[0]).toBe('IMPB-0');
    expect(keys[1]).toMatch(/^T1-V-\d{8}-\d{9}-/);
    expect(waiting(h)).toBe(4);
    expect(staging(h.db.sql)).toEqual({ imports: 1, open: 0, records: 0, rows: 0 });
    const events = h.events.filter((e) => e.type === 'record').map((e) => (e.type === 'record' ? e.record.id : 0));
    expect(events).toEqual(expect.arrayContaining(results.map((r) => r.id)));

    const again = await h.queue.importVipRows(rows, { batchSize: 1000 });
    expect(again).toEqual([expect.objectContaining({ existing: true, rowsAlready: 2500 })]);
    expect(again[0]!.rows).toEqual([...keys.slice(0, 10), ...form.rows!, ...keys.slice(10)]);
    expect(waiting(h)).toBe(4);
    expect(h.queue.classifyVipRows(rows).every((c) => c.status === 'already')).toBe(true);

    const more = await h.queue.importVipRows([...rows, ...importRows(3, { city: 'C' })], { batchSize: 1000 });
    expect(more).toHaveLength(1);
    expect(more[0]).toMatchObject({ existing: false, rowsAlready: 2500 });
    expect(more[0]!.rows).toHaveLength(3);
  });

  it('complete: all rows, complete=1 on batch 1 only, each batch after the one before; again: nothing', async () => {
    const h = harness();
    const rows = importRows(7);
    const before = h.queue.enqueue('vip-recharge', { row: [rows[0]!] }); // queued before: the full upload still has it
    const results = await h.queue.importVipRows(rows, { batchSize: 3, complete: true });
    expect(results.map((r) => r.rows!.length)).toEqual([3, 3, 1]);
    expect(results.map((r) => r.rowsAlready)).toEqual([1, 0, 0]);
    expect(results[0]!.rows![0]).toBe(rows[0]!.pay_partner);
    const recs = results.map((r) => h.queue.get(r.id)!);
    expect(recs.map((r) => r.record.complete)).toEqual([1, undefined, undefined]);
    expect(recs.map((r) => r.dependsOn)).toEqual([null, recs[0]!.id, recs[1]!.id]);
    expect(recs.map((r) => r.id)).toEqual([before.id + 1, before.id + 2, before.id + 3]);

    const again = await h.queue.importVipRows(rows, { batchSize: 3, complete: true });
    expect(again).toEqual([expect.objectContaining({ existing: true, id: recs[0]!.id, rowsAlready: 7 })]);
    // enqueueVipFullUpload sees it as the same full upload too (one set of rules).
    expect(h.queue.enqueueVipFullUpload(rows, 3)[0]).toMatchObject({ existing: true, id: recs[0]!.id });
    expect(waiting(h)).toBe(4);

    h.queue.start();
    await h.queue.idle();
    expect(sandbox().state().completes).toBe(1);
    const sent = sandbox()
      .state()
      .requests.filter((r) => r.endpoint === 'vip-recharge');
    expect(sent).toHaveLength(4);
    expect(
      sandbox()
        .state()
        .accepted.vip.map((r) => r.row.plate),
    ).toEqual(rows.map((r) => r.plate));
  });

  it('refuses bad rows (every problem named by row), storing nothing and leaving no staging', async () => {
    const h = harness();
    setLogSink(() => {});
    const rows = importRows(1500);
    rows[1400] = { ...rows[1400]!, vip_type: '99' };
    rows[1450] = { ...rows[1450]!, pay_partner: rows[2]!.pay_partner };
    const err = await h.queue.importVipRows(rows, { batchSize: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordError);
    expect((err as RecordError).issues.map((i) => i.field)).toEqual(['row[1400].vip_type', 'row[1450].pay_partner']);
    expect((err as RecordError).message).toMatch(/row\[1450\]\.pay_partner: 与 row\[2\] 重复/);
    expect(waiting(h)).toBe(0);
    expect(staging(h.db.sql)).toEqual({ imports: 0, open: 0, records: 0, rows: 0 });
    await expect(h.queue.importVipRows([], { batchSize: 10 })).rejects.toThrow(/至少一条/);
    await expect(h.queue.importVipRows(rows, { batchSize: 1001 })).rejects.toThrow(/batchSize: 每批条数须为 1 到 1000/);
  });

  for (const [what, index] of [
    ['its pay_partner', 1200],
    ['its content (no key: minted by the form)', 1201],
  ] as const) {
    it(`refuses the whole import when a row is saved meanwhile (${what}), and imports the rest after`, async () => {
      const h = harness();
      setLogSink(() => {});
      const rows = importRows(3000);
      let saved: number | null = null;
      const err = await h.queue
        .importVipRows(rows, {
          batchSize: 500,
          onProgress: (done) => {
            // The row is checked and staged by now: the same renewal saved from the form between two slices.
            if (done >= 1500 && saved === null) saved = h.queue.enqueue('vip-recharge', { row: [rows[index]!] }).id;
          },
        })
        .catch((e: unknown) => e);
      expect(saved).not.toBeNull();
      expect(err).toBeInstanceOf(RecordError);
      const field = index % 2 === 0 ? `row[${index}].pay_partner` : `row[${index}]`;
      expect((err as RecordError).issues).toEqual([
        { field, message: expect.stringMatching(new RegExp(`记录 #${saved}.*导入期间另行保存.*未保存任何记录`)) },
      ]);
      expect(waiting(h)).toBe(1);
      expect(staging(h.db.sql)).toEqual({ imports: 0, open: 0, records: 0, rows: 0 });
      // Imported again, the row saved meanwhile is left out as sent.
      const again = await h.queue.importVipRows(rows, { batchSize: 500 });
      expect(again.reduce((n, r) => n + r.rows!.length, 0)).toBe(2999);
      expect(again[0]!.rowsAlready).toBe(1);
    });
  }

  it('a crash in the middle (database closed after some slices) leaves nothing queued, and nothing sent', async () => {
    const h = harness();
    const logged: string[] = [];
    setLogSink((line) => logged.push(line));
    const rows = importRows(4000);
    const err = await h.queue
      .importVipRows(rows, {
        batchSize: 500,
        onProgress: (done) => {
          if (done >= 2000) h.db.close(); // the power goes: no cleanup can run
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    // What the crash left: staging of an import never committed.
    const raw = new DatabaseSync(`${h.dir}/${DB_FILE}`);
    const left = staging(raw);
    raw.close();
    expect(left.open).toBe(1);
    expect(left.rows).toBeGreaterThanOrEqual(2000);
    expect(left.records).toBeGreaterThanOrEqual(4);

    const after = harness(h.dir); // the console starts again on the folder
    expect(staging(after.db.sql)).toEqual({ imports: 0, open: 0, records: 0, rows: 0 });
    expect(after.queue.status().counts).toMatchObject({ waiting: 0, sending: 0, accepted: 0 });
    expect(logged.some((l) => /已清理 1 个未完成的导入的暂存数据/.test(l))).toBe(true);
    after.queue.start();
    await after.queue.idle();
    expect(sandbox().state().accepted.vip).toEqual([]);
    // Nothing of it counts as sent: imported again, every row goes.
    expect(after.queue.classifyVipRows(rows).every((c) => c.status === 'new')).toBe(true);
    const again = await after.queue.importVipRows(rows, { batchSize: 500 });
    expect(again.reduce((n, r) => n + r.rows!.length, 0)).toBe(4000);
    await after.queue.idle();
    expect(sandbox().state().accepted.vip).toHaveLength(4000);
  });

  it('a crash right after the final commit: all of it queued; the next opening finishes the tidy-up', async () => {
    const h = harness();
    setLogSink(() => {});
    const rows = importRows(5000);
    rows[4321] = { ...rows[4321]!, plate: '粤B88888', charge_type: '导入后崩溃' };
    // The power goes at the first event after the commit: the staging is still there, the rows' plates not yet set.
    const stop = h.queue.subscribe((e) => {
      if (e.type === 'record' && h.db.sql.isOpen) h.db.close();
    });
    const results = await h.queue.importVipRows(rows, { batchSize: 1000 });
    stop();
    expect(results).toHaveLength(5);
    const after = harness(h.dir);
    expect(after.queue.status().counts.waiting).toBe(5);
    expect(staging(after.db.sql)).toEqual({ imports: 1, open: 0, records: 0, rows: 0 });
    expect(after.queue.lastRenewal('粤B88888')).toMatchObject({ recordId: results[4]!.id });
    expect(after.queue.chargeTypes()).toContain('导入后崩溃');
    expect(after.queue.classifyVipRows(rows).every((c) => c.status === 'already')).toBe(true);
  });

  it('opening a folder removes the staging of dead imports only', () => {
    const h = harness();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a process of this host that has ended
    const now = Date.now();
    const owners: [string, string, number, string, number][] = [
      ['other host, writing now', 'another-pc', 4242, 'T1', now],
      ['other host, silent for long', 'another-pc', 4242, 'T2', now - STALE_IMPORT_MS - 60_000],
      ['this host, process ended', hostname(), dead, 'T3', now],
      ['this process, import no longer running', hostname(), process.pid, 'T4', now],
      ['this host, another process running', hostname(), process.ppid, 'T5', now],
    ];
    const add = h.db.sql.prepare(
      `INSERT INTO imports (owner_host, owner_pid, owner_token, actor, rows, complete, started_at, touched_at)
       VALUES (?, ?, ?, ?, 1, 0, ?, ?)`,
    );
    const stage = h.db.sql.prepare(
      `INSERT INTO staged_vip_rows (import_id, idx, record_ord, pay_partner, fingerprint, minted)
       VALUES (?, 0, 1, ?, 'fp', 0)`,
    );
    for (const [what, host, pid, token, at] of owners) {
      const id = Number(add.run(host, pid, token, what, at, at).lastInsertRowid);
      stage.run(id, `KEY-${token}`);
    }
    setLogSink(() => {});
    const after = harness(h.dir);
    const kept = after.db.sql.prepare('SELECT actor FROM imports ORDER BY id').all() as { actor: string }[];
    expect(kept.map((r) => r.actor)).toEqual([owners[0]![0], owners[4]![0]]);
    expect(staging(after.db.sql).rows).toBe(2);
  });

  it('20,000 rows: the event loop is never held long, and the final step is short', async () => {
    const h = harness();
    const rows = importRows(20_000);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const at = performance.now();
      longestGap = Math.max(longestGap, at - last);
      last = at;
    }, 5);
    delay.enable();
    const started = performance.now();
    const results = await h.queue.importVipRows(rows, { batchSize: 1000, complete: true });
    const total = performance.now() - started;
    await turn();
    clearInterval(ticker);
    delay.disable();
    const t = lastImportTimings()!;
    console.log(
      `import of 20,000 rows: ${total.toFixed(0)} ms in ${t.slices} slices; final transaction ` +
        `${t.commit.toFixed(1)} ms; longest slice ${t.longestSlice.toFixed(1)} ms; longest event-loop gap ` +
        `${longestGap.toFixed(0)} ms (monitorEventLoopDelay max ${(delay.max / 1e6).toFixed(0)} ms)`,
    );
    expect(results).toHaveLength(20);
    expect(waiting(h)).toBe(20);
    expect(h.queue.get(results[19]!.id)!.dependsOn).toBe(results[18]!.id);
    // Generous bounds so that a loaded CI machine never flakes; the figures above are the real ones.
    expect(longestGap).toBeLessThan(1000);
    expect(t.commit).toBeLessThan(1000);
  }, 60_000);

  it('a renewal row of the import is found by lastRenewal and its charge type listed', async () => {
    const h = harness();
    const rows = [vipRow({ plate: '粤B77777', charge_type: '月租A', renewal_end_time: '2030-01-31T15:59:59Z' })];
    await h.queue.importVipRows(rows, { batchSize: 10 });
    expect(h.queue.lastRenewal('粤b77777')).toMatchObject({ row: { plate: '粤B77777', charge_type: '月租A' } });
    expect(h.queue.chargeTypes()).toEqual(['月租A']);
  });
});
