/**
 * Issue 10 from the command line: `vip-template` and `import-vip` on the files managers keep (a GBK CSV saved by
 * Excel, an .xlsx without order numbers), bad rows named by their spreadsheet row, nothing queued while any row is
 * bad (unless --skip-bad), batches, a full upload whose complete=1 is sent once and first, and the same file
 * imported twice queueing nothing new.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../electron/queue/db.ts';
import { jsonLines, runCli, runDrainTo, tempDir } from '../queue/cli-helpers.ts';
import { encodeGbk } from '../support/gbk.ts';
import { useSandbox } from '../support/sandbox.ts';
import { csvOf, renewalRows, TEMPLATE_HEADERS, xlsxOf } from '../support/vip-sheets.ts';

const { sandbox, target } = useSandbox();

let tmp: ReturnType<typeof tempDir>;
let data: string;
beforeEach(() => {
  tmp = tempDir('import-vip-');
  data = join(tmp.dir, 'data');
});
afterEach(() => tmp.remove());

const importVip = (file: string, ...flags: string[]) =>
  runCli(['import-vip', '--file', file, '--data-dir', data, ...flags]);

const drain = () => runDrainTo(data, target());

/** The vip-recharge records of the data folder, in id order. */
function batches(): { id: number; rows: number; complete: unknown; dependsOn: number | null }[] {
  const db = openDb(data);
  try {
    return (
      db.sql
        .prepare("SELECT id, payload, depends_on FROM records WHERE endpoint = 'vip-recharge' ORDER BY id")
        .all() as { id: number; payload: string; depends_on: number | null }[]
    ).map((r) => {
      const p = JSON.parse(r.payload) as { row: unknown[]; complete?: number };
      return { id: r.id, rows: p.row.length, complete: p.complete, dependsOn: r.depends_on };
    });
  } finally {
    db.close();
  }
}

/** 50 rows, two of them bad: row 4 (a plate that is no plate) and row 20 (ends before it starts). */
function withTwoBad() {
  const rows = renewalRows(50);
  rows[2]![0] = '12345';
  rows[18]![10] = '2026-11-01';
  return rows;
}

describe('import-vip', () => {
  it('a GBK CSV with bad rows: each named by row and column, nothing queued, exit 2', async () => {
    const file = tmp.file('三月续费.csv', encodeGbk(csvOf(TEMPLATE_HEADERS, withTwoBad())));
    const r = await importVip(file);
    expect(r.code).toBe(2);
    const [out] = jsonLines(r.stdout);
    expect(out).toMatchObject({ rows: 50, queued: 0, batches: 0, keys: [] });
    const bad = out!.bad as { row: number; column: string; field: string; message: string }[];
    expect(bad.map((b) => [b.row, b.column, b.field])).toEqual([
      [4, '车牌号码', 'plate'],
      [20, '结束日期', 'end_day'],
    ]);
    expect(r.stderr).toMatch(/2 行有误.*--skip-bad.*未导入任何行/);
    expect(batches()).toEqual([]);
  });

  it('--skip-bad queues the good rows in batches of --batch-size; the same file again queues nothing', async () => {
    const file = tmp.file('renewals.csv', encodeGbk(csvOf(TEMPLATE_HEADERS, withTwoBad(), ';')));
    const r = await importVip(file, '--skip-bad', '--batch-size', '20');
    expect(r.code).toBe(0);
    const [out] = jsonLines(r.stdout);
    expect(out).toMatchObject({ rows: 50, queued: 48, alreadySent: 0, batches: 3 });
    expect((out!.keys as string[]).length).toBe(3);
    expect(batches().map((b) => b.rows)).toEqual([20, 20, 8]);

    const again = await importVip(file, '--skip-bad', '--batch-size', '20');
    expect(jsonLines(again.stdout)[0]).toMatchObject({ rows: 50, queued: 0, alreadySent: 48, batches: 0 });
    expect(batches().length).toBe(3);

    expect((await drain()).code).toBe(0);
    const vip = sandbox().state().accepted.vip;
    expect(vip.length).toBe(48);
    expect(new Set(vip.map((v) => v.pay_partner)).size).toBe(48);
    expect(vip.find((v) => v.pay_partner === 'ORD-1-1')!.row).toMatchObject({
      renewal_start_time: '2026-11-30T16:00:00Z',
      renewal_end_time: '2026-12-31T15:59:59Z',
      pay_value: 120000,
    });
    expect(vip.find((v) => v.pay_partner === 'ORD-1-2')!.row).toMatchObject({ pay_value: 1999 });
  });

  it('an .xlsx without order numbers: pay_partner minted, and importing it again never renews twice', async () => {
    const file = tmp.file('no-orders.xlsx', await xlsxOf(TEMPLATE_HEADERS, renewalRows(30, { orderNumbers: false })));
    const first = jsonLines((await importVip(file)).stdout)[0]!;
    expect(first).toMatchObject({ rows: 30, queued: 30 });
    const second = jsonLines((await importVip(file)).stdout)[0]!;
    expect(second).toMatchObject({ rows: 30, queued: 0, alreadySent: 30 });
    expect((await drain()).code).toBe(0);
    expect(sandbox().state().accepted.vip.length).toBe(30);
  });

  it('a file without order numbers or operators, imported again by another person: never renewed twice', async () => {
    const headers = TEMPLATE_HEADERS.filter((h) => h !== '车场订单号' && h !== '操作员');
    const rows = renewalRows(3, { orderNumbers: false }).map((r) => r.filter((_, i) => i !== 5 && i !== 12));
    const file = tmp.file('无订单号.csv', csvOf(headers, rows));
    expect(jsonLines((await importVip(file, '--actor', '李经理')).stdout)[0]).toMatchObject({ queued: 3 });
    expect(jsonLines((await importVip(file, '--actor', '王经理')).stdout)[0]).toMatchObject({
      queued: 0,
      alreadySent: 3,
    });
    expect(jsonLines((await importVip(file)).stdout)[0]).toMatchObject({ queued: 0, alreadySent: 3 });
  });

  it('--complete: complete=1 on the first batch only, the others wait for it; sent once and first', async () => {
    const file = tmp.file('all.xlsx', await xlsxOf(TEMPLATE_HEADERS, renewalRows(45)));
    const r = await importVip(file, '--complete', '--batch-size', '20');
    expect(r.code).toBe(0);
    const b = batches();
    expect(b.map((x) => [x.rows, x.complete])).toEqual([
      [20, 1],
      [20, undefined],
      [5, undefined],
    ]);
    expect(b[1]!.dependsOn).toBe(b[0]!.id);
    expect(b[2]!.dependsOn).toBe(b[1]!.id);
    const before = sandbox().state().completes;
    expect((await drain()).code).toBe(0);
    expect(sandbox().state().completes - before).toBe(1);
    // Had complete=1 come after another batch, that batch's rows would have been deleted on the platform.
    expect(
      sandbox()
        .state()
        .accepted.vip.filter((v) => v.pay_partner.startsWith('ORD-1-')).length,
    ).toBe(45);
    const again = jsonLines((await importVip(file, '--complete', '--batch-size', '20')).stdout)[0]!;
    expect(again).toMatchObject({ queued: 0, batches: 0 });
  });

  it('--complete never skips a bad row (the platform would delete that car)', async () => {
    const file = tmp.file('bad.csv', csvOf(TEMPLATE_HEADERS, withTwoBad()));
    const r = await importVip(file, '--complete', '--skip-bad');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/完整上传不能跳过有误的行/);
    expect(batches()).toEqual([]);
  });

  it('--map names a column the aliases do not know, and the mapping is remembered for the same headers', async () => {
    const headers = TEMPLATE_HEADERS.map((h) => (h === '车牌号码' ? '号牌' : h));
    const file = tmp.file('odd.csv', csvOf(headers, renewalRows(5)));
    const missing = await importVip(file);
    expect(missing.code).toBe(2);
    expect(jsonLines(missing.stdout)[0]).toMatchObject({ queued: 0, missing: ['车牌号码'] });
    const mapped = await importVip(file, '--map', '号牌=plate');
    expect(jsonLines(mapped.stdout)[0]).toMatchObject({ queued: 5 });
    const file2 = tmp.file('odd2.csv', csvOf(headers, renewalRows(3, { seed: 2 })));
    expect(jsonLines((await importVip(file2)).stdout)[0]).toMatchObject({ queued: 3 });
  });

  it('refuses .xls, a missing file and a bad --map in one line each', async () => {
    const xls = tmp.file('old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    const r = await importVip(xls);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/请在 Excel 中另存为 \.xlsx/);
    expect((await importVip(join(tmp.dir, 'none.csv'))).stderr).toMatch(/找不到文件/);
    const csv = tmp.file('a.csv', csvOf(TEMPLATE_HEADERS, renewalRows(1)));
    expect((await importVip(csv, '--map', '=,,')).code).toBe(2);
  });
});

describe('vip-template', () => {
  it('writes the template, which reads back with every column known and its example rows refused', async () => {
    const file = join(tmp.dir, '模板.xlsx');
    const r = await runCli(['vip-template', '--file', file]);
    expect(r.code).toBe(0);
    const back = await importVip(file);
    expect(back.code).toBe(2);
    const out = jsonLines(back.stdout)[0]!;
    expect(out.missing).toBeUndefined();
    expect(out).toMatchObject({ rows: 2, queued: 0 });
    expect(out.bad).toEqual([
      { row: 2, column: '操作员', field: 'operator', message: expect.stringContaining('示例行') },
      { row: 3, column: '操作员', field: 'operator', message: expect.stringContaining('示例行') },
    ]);
  });

  it('only .xlsx', async () => {
    expect((await runCli(['vip-template', '--file', join(tmp.dir, 't.csv')])).code).toBe(2);
  });
});
