/**
 * The outbox commands end to end: enqueue, status, log, drain, as child processes against a sandbox in this process.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server.ts';
import { nodeSettingsStore } from '../../electron/services/open.ts';
import { keyFileCipher } from '../../electron/settings/secret-cipher.ts';
import { createSettingsService } from '../../electron/settings/settings-service.ts';
import { leaveRecord, updateRecord, vipRow } from '../fixtures/records.ts';
import { jsonLines, runCli, runEnqueue, startCli, tempDir, toJsonLines } from './cli-helpers.ts';

const PARK = 'CLI-TEST-PARK';
const SECRET = 'cli-Test-Secret-7Q';

let sandbox: Sandbox;
let tmp: ReturnType<typeof tempDir>;
let n = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, parks: { [PARK]: SECRET } });
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  sandbox.reset();
  tmp?.remove();
});

function fresh() {
  tmp = tempDir('cli-queue-');
  n++;
  return { dir: tmp.dir, data: join(tmp.dir, `data-${n}`) };
}

const platform = () => ['--base-url', sandbox.url, '--park-uuid', PARK, '--secret', SECRET];

async function status(data: string) {
  const r = await runCli(['status', '--data-dir', data]);
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(r.stdout) as { counts: Record<string, number>; paused: { kind: string } | null; platform: string };
}

/** One clear line on stderr, no stack trace, nothing on stdout. */
function expectOneLineError(r: { code: number | null; stdout: string; stderr: string }, text: string | RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(text);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('enqueue', () => {
  it('stores one record from a JSON file and generates its missing key', async () => {
    const { data } = fresh();
    const rec = updateRecord({ plate: '粤B10001' });
    delete rec.flow_no;
    const file = tmp.file('one.json', JSON.stringify(rec, null, 2));
    const r = await runCli(['enqueue', '--endpoint', 'update', '--file', file, '--data-dir', data]);
    expect(r.stderr.trim()).toBe('enqueue: 新保存 1 条记录');
    expect(r.code).toBe(0);
    const [line, ...rest] = jsonLines(r.stdout);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ id: 1 });
    expect(line?.key).toMatch(/^ST01-F-\d{8}-\d{9}-[0-9A-Z]{8}$/);
    expect((await status(data)).counts).toMatchObject({ waiting: 1, accepted: 0 });
  });

  it('stores one record per JSON line, keeping given keys and generating missing ones', async () => {
    const { data } = fresh();
    const noKey = updateRecord({ plate: '粤B10002' });
    delete noKey.flow_no;
    const leave = leaveRecord({ parking_serial: 'PS-KEPT-1' });
    const file = tmp.file(
      'many.jsonl',
      toJsonLines([updateRecord({ flow_no: 'KEPT-1' }), noKey, updateRecord({ flow_no: 'KEPT-2' })]),
    );
    const r = await runCli(['enqueue', '--endpoint', 'update', '--file', file, '--data-dir', data]);
    expect(r.code).toBe(0);
    const keys = jsonLines(r.stdout).map((l) => l.key);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe('KEPT-1');
    expect(keys[1]).toMatch(/^ST01-F-/);
    expect(keys[2]).toBe('KEPT-2');

    const leaveFile = tmp.file('leave.jsonl', toJsonLines([leave]));
    const l = await runCli(['enqueue', '--endpoint', 'leave', '--file', leaveFile, '--data-dir', data]);
    expect(jsonLines(l.stdout).map((x) => x.key)).toEqual(['PS-KEPT-1']);

    // The same keyed file again is a no-op: same ids, nothing new.
    const again = await runCli(['enqueue', '--endpoint', 'leave', '--file', leaveFile, '--data-dir', data]);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout)).toEqual(jsonLines(l.stdout).map((x) => ({ ...x, existing: true })));
    expect(again.stderr).toMatch(/新保存 0 条记录, 1 条此前已在队列中/);
    expect((await status(data)).counts.waiting).toBe(4);
  });

  it('takes a leave whose payment_list is the platform’s JSON text, as sign and push do', async () => {
    const { data } = fresh();
    const payments = [
      { pay_type: '1', value: 500, free_value: 0, parking_order: 'PO-TEXT-1', pay_time: '1624937505093' },
      { pay_type: '2', value: 300, parking_order: 'PO-TEXT-2', operator: '张三', pay_origin_desc: '微信支付' },
    ];
    const leave = leaveRecord({ parking_serial: 'PS-TEXT-1', payment_list: JSON.stringify(payments) });
    const r = await runEnqueue('leave', tmp.file('l.json', JSON.stringify(leave)), data);
    expect(r.stderr.trim()).toBe('enqueue: 新保存 1 条记录');
    expect(r.code).toBe(0);
    expect((await runCli(['drain', '--data-dir', data, '--until-empty', '--quiet', ...platform()])).code).toBe(0);
    const sent = sandbox.state().accepted.leave[0]?.fields.payment_list;
    expect(JSON.parse(sent!).map((p: { parking_order: string }) => p.parking_order)).toEqual([
      'PO-TEXT-1',
      'PO-TEXT-2',
    ]);

    const twice = leaveRecord({
      parking_serial: 'PS-TEXT-2',
      payment_list: JSON.stringify([payments[0], payments[0]]),
    });
    expectOneLineError(
      await runEnqueue('leave', tmp.file('l2.json', JSON.stringify(twice)), data),
      /payment_list\[1\]\.parking_order: 车场订单号必须唯一/,
    );
  });

  it('stores a VIP batch and prints the keys of its rows, kept and generated', async () => {
    const { data } = fresh();
    const noKey = vipRow();
    delete noKey.pay_partner;
    const file = tmp.file('vip.json', JSON.stringify({ row: [vipRow({ pay_partner: 'PP-KEPT-1' }), noKey] }));
    const r = await runCli(['enqueue', '--endpoint', 'vip-recharge', '--file', file, '--data-dir', data]);
    expect(r.code).toBe(0);
    const [line] = jsonLines(r.stdout);
    expect(line?.key).toMatch(/^ST01-B-/);
    expect(line?.rows).toEqual(['PP-KEPT-1', expect.stringMatching(/^ST01-V-/)]);
    expect((await runCli(['drain', '--data-dir', data, '--until-empty', '--quiet', ...platform()])).code).toBe(0);
    expect(sandbox.state().accepted.vip.map((v) => v.pay_partner)).toEqual(line?.rows);
  });

  it('refuses a file with one bad record in one line, and stores none of it', async () => {
    const { data } = fresh();
    const file = tmp.file(
      'bad.jsonl',
      toJsonLines([updateRecord(), updateRecord({ plate: ' ', operate_time: '2026-11-25 08:00:00' }), updateRecord()]),
    );
    const r = await runCli(['enqueue', '--endpoint', 'update', '--file', file, '--data-dir', data]);
    expectOneLineError(r, /第 2 行: 记录有误: .*plate: 必填.*operate_time: 须为 UTC.*未保存任何记录/);
    expect((await status(data)).counts.waiting).toBe(0);
  });

  const refusesConflictsAndBadInput =
    'refuses a key that is already stored with other content, a missing image, bad JSON, an unknown flag';
  it(refusesConflictsAndBadInput, async () => {
    const { data } = fresh();
    const first = tmp.file('a.json', JSON.stringify(updateRecord({ flow_no: 'DUP-1', plate: '粤B10001' })));
    expect((await runCli(['enqueue', '--endpoint', 'update', '--file', first, '--data-dir', data])).code).toBe(0);
    const other = tmp.file(
      'b.jsonl',
      toJsonLines([updateRecord({ flow_no: 'NEW-1' }), updateRecord({ flow_no: 'DUP-1', plate: '粤B10002' })]),
    );
    expectOneLineError(
      await runCli(['enqueue', '--endpoint', 'update', '--file', other, '--data-dir', data]),
      /第 2 行: 记录有误: flow_no: DUP-1 已存在且内容不同.*未保存任何记录/,
    );

    const noImage = tmp.file('c.json', JSON.stringify(leaveRecord({ leave_image_file: 'missing.jpg' })));
    expectOneLineError(
      await runCli(['enqueue', '--endpoint', 'leave', '--file', noImage, '--data-dir', data]),
      /leave_image_file: 文件不存在/,
    );

    const notJson = tmp.file('d.jsonl', `${JSON.stringify(updateRecord())}\n{oops\n`);
    expectOneLineError(
      await runCli(['enqueue', '--endpoint', 'update', '--file', notJson, '--data-dir', data]),
      /第 2 行不是合法的 JSON/,
    );

    expectOneLineError(
      await runCli(['enqueue', '--endpoint', 'update', '--file', first, '--data-dir', data, '--fast']),
      /未知参数 --fast/,
    );
    expectOneLineError(
      await runCli(['enqueue', '--endpoint', 'enter', '--file', first, '--data-dir', data]),
      /--endpoint 须为/,
    );
    expect((await status(data)).counts.waiting).toBe(1);
  });
});

describe('drain, status, log', () => {
  it('sends everything with --until-empty, exits 0, and the log shows it newest first', async () => {
    const { data } = fresh();
    tmp.file('leave.jpg', Buffer.from('not really a jpeg, but bytes'));
    const md5 = createHash('md5').update('not really a jpeg, but bytes').digest('hex').toUpperCase();
    const updates = Array.from({ length: 5 }, (_, i) => updateRecord({ plate: `粤B2000${i}` }));
    await runEnqueue('update', tmp.file('u.jsonl', toJsonLines(updates)), data);
    await runEnqueue('leave', tmp.file('l.json', JSON.stringify(leaveRecord({ leave_image_file: 'leave.jpg' }))), data);

    const r = await runCli(['drain', '--data-dir', data, '--until-empty', ...platform()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.slice(0, -1).every((l) => l.outcome === 'accepted')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ done: true, attempts: 6, accepted: 6, counts: { waiting: 0, accepted: 6 } });
    expect(r.stdout + r.stderr).not.toContain(SECRET);

    const state = sandbox.state();
    expect(state.accepted.update.map((u) => u.fields.plate).sort()).toEqual(updates.map((u) => u.plate).sort());
    expect(state.accepted.leave[0]?.files).toEqual([
      { field: 'leave_image_file', filename: 'leave.jpg', size: 28, md5 },
    ]);
    expect((await status(data)).counts).toMatchObject({ waiting: 0, sending: 0, accepted: 6 });

    const log = await runCli(['log', '--data-dir', data, '--limit', '4']);
    const rows = jsonLines(log.stdout);
    expect(rows).toHaveLength(4);
    const ids = rows.map((x) => x.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(log.stdout).not.toContain(SECRET);
    const byPlate = jsonLines((await runCli(['log', '--data-dir', data, '--plate', '粤B20003'])).stdout);
    expect(byPlate.map((x) => x.plate)).toEqual(['粤B20003']);
    expect(byPlate[0]?.outcome).toBe('accepted');

    // Nothing left: a second run sends nothing and exits 0.
    const again = await runCli(['drain', '--data-dir', data, '--until-empty', ...platform()]);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout)).toEqual([expect.objectContaining({ done: true, attempts: 0 })]);
  });

  it('log --plate finds a plate however it is typed (粤b12345, 粤B 123), as it is stored', async () => {
    const { data } = fresh();
    const file = tmp.file('u.json', JSON.stringify(updateRecord({ plate: '粤B12345' })));
    expect((await runCli(['enqueue', '--endpoint', 'update', '--file', file, '--data-dir', data])).code).toBe(0);
    expect((await runCli(['drain', '--data-dir', data, '--until-empty', '--quiet', ...platform()])).code).toBe(0);
    for (const typed of ['粤b12345', '粤B 123', '粤ｂ１２３４５']) {
      const rows = jsonLines((await runCli(['log', '--data-dir', data, '--plate', typed])).stdout);
      expect(
        rows.map((x) => x.plate),
        typed,
      ).toEqual(['粤B12345']);
    }
  });

  it('sends to the platform configured in the data folder when no flags are given', async () => {
    const { data } = fresh();
    await runEnqueue('update', tmp.file('u.json', JSON.stringify(updateRecord())), data);
    const settings = createSettingsService({
      store: nodeSettingsStore(data),
      cipher: keyFileCipher(data),
      sandboxUrl: () => null,
    });
    settings.update({ platform: 'custom', customBaseUrl: sandbox.url, parkUuid: PARK, appSecret: SECRET });
    const r = await runCli(['drain', '--data-dir', data, '--until-empty']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sandbox.state().accepted.update).toHaveLength(1);
    expect((await status(data)).platform).toBe('custom');
  });

  it('asks for a platform when the folder is set to the built-in sandbox, and for all three flags', async () => {
    const { data } = fresh();
    await runEnqueue('update', tmp.file('u.json', JSON.stringify(updateRecord())), data);
    expectOneLineError(
      await runCli(['drain', '--data-dir', data, '--until-empty']),
      /内置沙箱只在控制台运行时存在.*--base-url/,
    );
    expectOneLineError(
      await runCli(['drain', '--data-dir', data, '--base-url', sandbox.url]),
      /缺少 --park-uuid --secret/,
    );
    expectOneLineError(
      await runCli(['drain', '--data-dir', join(tmp.dir, 'nowhere'), ...platform()]),
      /数据目录不存在/,
    );
    expect(sandbox.state().received).toBe(0);
  });

  it('exits 1 and says why when the platform refuses the credentials, without printing the secret', async () => {
    const { data } = fresh();
    await runEnqueue('update', tmp.file('u.json', JSON.stringify(updateRecord())), data);
    const wrong = 'Wrong-Secret-88';
    const r = await runCli([
      'drain',
      '--data-dir',
      data,
      '--until-empty',
      '--base-url',
      sandbox.url,
      '--park-uuid',
      PARK,
      '--secret',
      wrong,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/队列已暂停 \(平台拒绝了凭据/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
    const s = await status(data);
    expect(s.paused?.kind).toBe('auth');
    expect(s.counts.waiting).toBe(1);

    // The right secret on the next run lifts the pause.
    const ok = await runCli(['drain', '--data-dir', data, '--until-empty', ...platform()]);
    expect(ok.code).toBe(0);
    expect((await status(data)).paused).toBeNull();
  });

  it('exits 1 when a record is refused and needs attention', async () => {
    const { data } = fresh();
    await runEnqueue('update', tmp.file('u.jsonl', toJsonLines([updateRecord(), updateRecord()])), data);
    sandbox.setFaults([{ kind: 'error', httpStatus: 400, code: '400', count: 1 }]);
    const r = await runCli(['drain', '--data-dir', data, '--until-empty', '--quiet', ...platform()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 条记录需处理/);
    expect(jsonLines(r.stdout)).toEqual([
      expect.objectContaining({ done: true, counts: expect.objectContaining({ attention: 1, accepted: 1 }) }),
    ]);
  });

  it('without --until-empty keeps running until SIGTERM, then stops gracefully', async () => {
    const { data } = fresh();
    await runEnqueue('update', tmp.file('u.json', JSON.stringify(updateRecord())), data);
    const { child, done } = startCli(['drain', '--data-dir', data, ...platform()]);
    const deadline = Date.now() + 10_000;
    while (sandbox.state().accepted.update.length < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ done: true, accepted: 1 });
  });
});
