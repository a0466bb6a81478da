import { readFileSync, statSync } from 'node:fs';
import { exportPath } from '../../electron/services/exports.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, type Session, type SubmitReleaseResult, type CsvExport } from '../../shared/contract/api.ts';
import { METHOD_ACCESS, METHOD_NAMES } from '../../shared/contract/methods.ts';
import type { QueueStatus, QueuedRecord } from '../../shared/contract/queue.ts';
import type { PublicSettings } from '../../shared/contract/settings.ts';
import { parseLocal } from '../../shared/records/time.ts';
import { SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { openHarness, until, type Harness } from './helpers.ts';

const ZONE = 'Asia/Shanghai';
const operateTime = parseLocal('2025-03-01 08:30:00', ZONE)!;
const form = {
  plate: '粤b12345',
  plateColor: '1',
  carType: '1',
  parkingSerial: 'PS-0001',
  operateTime,
  reason: '设备异常',
  remark: '道闸卡住',
};

/** A valid input for every method, to show that refusals are about access, not input. */
const SAMPLE_INPUT: Record<string, unknown> = {
  updateSettings: { ratePerSecond: 5 },
  cancelRecord: { id: 1, reason: '重复录入' },
  clearSecret: {},
  pauseQueue: { reason: '平台维护' },
  resumeQueue: {},
};

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

describe('the contract table', () => {
  it('has a schema and the declared access for every method', () => {
    expect(Object.keys(API).sort()).toEqual([...METHOD_NAMES].sort());
    for (const name of METHOD_NAMES) expect(API[name].access).toBe(METHOD_ACCESS[name]);
    expect(METHOD_NAMES.filter((n) => METHOD_ACCESS[n] === 'manager').sort()).toEqual([
      'cancelRecord',
      'checkVipImport',
      'clearSecret',
      'commitVipImport',
      'pauseQueue',
      'renewalDefaults',
      'resumeQueue',
      'submitRenewal',
      'updateSettings',
      'vipImportBadRows',
    ]);
  });
});

describe('shift and abnormal release', () => {
  it('refuses a release before a shift starts, and enqueues nothing', async () => {
    const err = await h.refused('submitRelease', form);
    expect(err.code).toBe('shift-required');
    expect(err.message).toContain('交班');
    expect(h.services.queue.list({})).toHaveLength(0);
  });

  it('saves a release with the shift operator and sends it with the UTC operate_time', async () => {
    const session = await h.ok<Session>('startShift', { operator: ' 张三 ' });
    expect(session.operator).toBe('张三');
    const r = await h.ok<SubmitReleaseResult>('submitRelease', form);
    expect(r.flowNo).toMatch(/ST01/);
    expect(r.record?.plate).toBe('粤B12345');
    const accepted = await until(() => h.services.sandbox!.state().accepted.update[0]);
    expect(accepted.fields).toMatchObject({
      flow_no: r.flowNo,
      plate: '粤B12345',
      operate_time: '2025-03-01T00:30:00Z',
      operator: '张三',
      reason: '设备异常: 道闸卡住',
      parking_serial: 'PS-0001',
    });
    await until(() =>
      h.events.some((e) => e.type === 'record' && e.record.id === r.id && e.record.state === 'accepted'),
    );
    const serials = await h.ok<{ parkingSerial: string }[]>('recentSerials', { plate: '粤B12345' });
    expect(serials.map((s) => s.parkingSerial)).toEqual(['PS-0001']);
  });

  it('refuses a bad form field by field in Chinese and enqueues nothing', async () => {
    await h.ok('startShift', { operator: '张三' });
    const err = await h.refused('submitRelease', {
      ...form,
      plate: '粤B1',
      parkingSerial: '',
      operateTime: 'now',
      plateColor: '9',
    });
    expect(err.code).toBe('invalid');
    const byField = Object.fromEntries((err.issues ?? []).map((i) => [i.field, i.message]));
    expect(Object.keys(byField).sort()).toEqual(['operateTime', 'parkingSerial', 'plate', 'plateColor']);
    for (const m of Object.values(byField)) expect(m).toMatch(/[\u4e00-\u9fff]/);
    expect(h.services.queue.list({})).toHaveLength(0);
    expect(h.services.queue.status().counts.waiting).toBe(0);
    expect(h.services.sandbox!.state().received).toBe(0);
  });

  it('keeps the shift across a restart of the console', async () => {
    await h.ok('startShift', { operator: '李四' });
    h.console.close();
    const { createConsole } = await import('../../electron/console/handlers.ts');
    const again = createConsole(h.services);
    const r = await again.call('getSession', undefined);
    expect(r.ok && (r.value as Session).operator).toBe('李四');
    again.close();
  });
});

describe('manager actions', () => {
  const managerMethods = METHOD_NAMES.filter((n) => METHOD_ACCESS[n] === 'manager');

  it('are refused by the main process without the PIN, and change nothing', async () => {
    await h.ok('startShift', { operator: '张三' });
    await h.ok('unlockManager', { pin: '2468' });
    await h.ok('lockManager');
    for (const name of managerMethods) {
      const err = await h.refused(name, SAMPLE_INPUT[name]);
      expect(err.code, name).toBe('manager-required');
      expect(err.message).toContain('管理员');
    }
    expect(h.services.queue.status().paused).toBeNull();
    expect(h.services.settings.get().ratePerSecond).toBe(10);
  });

  it('unlock with the right PIN; wrong ones are counted and locked out', async () => {
    await h.ok('unlockManager', { pin: '2468' });
    expect((await h.refused('setupPin', { pin: '1111' })).code).toBe('conflict');
    await h.ok('lockManager');
    expect((await h.refused('unlockManager', { pin: '0000' })).code).toBe('wrong-pin');
    expect((await h.refused('unlockManager', { pin: 'abc' })).issues?.[0]?.field).toBe('pin');
    for (let i = 0; i < 3; i++) await h.refused('unlockManager', { pin: '0000' });
    expect((await h.refused('unlockManager', { pin: '0000' })).code).toBe('locked-out');
    expect((await h.refused('unlockManager', { pin: '2468' })).code).toBe('locked-out');
    expect((await h.ok<Session>('getSession')).lockedOutUntil).toBeGreaterThan(Date.now());
  });

  it('lock themselves after the idle time', async () => {
    const quick = await openHarness({ autoLockMs: 80 });
    try {
      await quick.ok('unlockManager', { pin: '2468' });
      expect((await quick.ok<Session>('getSession')).manager).toBe(true);
      await until(() => quick.events.some((e) => e.type === 'session' && !e.session.manager), 2000);
      expect((await quick.refused('pauseQueue', { reason: '平台维护' })).code).toBe('manager-required');
    } finally {
      await quick.close();
    }
  });

  it('pause, resume, cancel and edit are audited with who did them', async () => {
    await h.ok('startShift', { operator: '张三' });
    await h.ok('unlockManager', { pin: '2468', name: '李经理' });
    const paused = await h.ok<QueueStatus>('pauseQueue', { reason: '平台维护' });
    expect(paused.paused).toMatchObject({ kind: 'manual', by: '李经理 (管理员)', reason: '平台维护' });
    const r = await h.ok<SubmitReleaseResult>('submitRelease', form);
    const edited = await h.ok<QueuedRecord>('resubmitRecord', {
      id: r.id,
      changes: { parking_serial: 'PS-0002', car_desc: null },
    });
    expect(edited.record.parking_serial).toBe('PS-0002');
    const badEdit = await h.refused('resubmitRecord', { id: r.id, changes: { operate_time: '2025-03-01 08:30' } });
    expect(badEdit.issues?.[0]?.field).toBe('operate_time');
    const cancelled = await h.ok<QueuedRecord>('cancelRecord', { id: r.id, reason: '重复录入' });
    expect(cancelled.state).toBe('cancelled');
    await h.ok('resumeQueue');
    const audit = await h.ok<{ action: string; actor: string }[]>('listAudit');
    expect(audit.map((a) => a.action).sort()).toEqual(['cancel', 'edit', 'pause', 'resume']);
    expect((await h.refused('getRecord', { id: 999 })).code).toBe('not-found');
  });
});

describe('the secret', () => {
  it('never appears in any reply or event, and a wrong one pauses without losing anything', async () => {
    const secret = 'Wr0ng-Secret-For-Test-7f3a';
    await h.ok('startShift', { operator: '张三' });
    await h.ok('unlockManager', { pin: '2468' });
    // The harness keeps secrets in the key file (no system encryption in plain Node): the manager confirms it.
    const s = await h.ok<PublicSettings>('updateSettings', { appSecret: secret, keepSecretInKeyFile: true });
    expect(s.secretSet).toBe(true);
    // An invalid change with a secret in it: refused, and the secret is not echoed.
    const err = await h.refused('updateSettings', { appSecret: secret, ratePerSecond: 'fast' });
    expect(err.issues?.map((i) => i.field)).toEqual(['ratePerSecond']);
    const r = await h.ok<SubmitReleaseResult>('submitRelease', form);
    await until(() => h.services.queue.status().paused?.kind === 'auth');
    const status = await h.ok<{ queue: QueueStatus }>('getStatus');
    expect(status.queue.paused?.kind).toBe('auth');
    await h.ok('queryLog', {});
    await h.ok('exportLogCsv', {});
    await h.ok('getSettings');
    await h.ok('updateSettings', { appSecret: SANDBOX_DEFAULT_SECRET, keepSecretInKeyFile: true });
    await until(() => h.services.queue.get(r.id)?.state === 'accepted');
    expect(h.services.sandbox!.state().accepted.update.map((u) => u.key)).toEqual([r.flowNo]);
    const everything = JSON.stringify([h.replies, h.events]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(SANDBOX_DEFAULT_SECRET);
    expect(h.events.some((e) => e.type === 'log' && e.row.outcome === 'auth')).toBe(true);
  });
});

describe('the push log export', () => {
  it('is CSV with a BOM and Chinese headings, one line per attempt', async () => {
    await h.ok('startShift', { operator: '张三' });
    h.services.sandbox!.setFaults([{ kind: 'error', httpStatus: 503, count: 1, endpoint: 'update' }]);
    const r = await h.ok<SubmitReleaseResult>('submitRelease', form);
    await until(() => h.services.queue.get(r.id)?.state === 'accepted');
    const out = await h.ok<CsvExport>('exportLogCsv', { plate: '粤B' });
    // Written into the data folder for the host to save, not carried as a string.
    const path = exportPath(h.services.dataDir, out.file.handle)!;
    const csv = readFileSync(path, 'utf8');
    expect(out.file.bytes).toBe(statSync(path).size);
    expect(out.file.mime).toBe('text/csv');
    expect(csv.startsWith('\uFEFF日志号,时间(本地)')).toBe(true);
    expect(out.rows).toBe(2);
    expect(csv.trim().split('\r\n')).toHaveLength(3);
    expect(out.file.filename).toMatch(/^推送日志-\d{8}-\d{6}\.csv$/);
    expect(csv).toContain('待重试');
    expect(csv).toContain('已受理');
  });
});

describe('errors', () => {
  it('are values with a code and a Chinese message, never a stack', async () => {
    expect((await h.refused('dropDatabase', {})).code).toBe('unknown-method');
    expect((await h.refused('__proto__', {})).code).toBe('unknown-method');
    const err = await h.refused('startShift', { operator: '', extra: 1 });
    expect(err.code).toBe('invalid');
    expect(err.issues).toHaveLength(2);
    expect(err.issues).toEqual(
      expect.arrayContaining([
        { field: 'extra', message: '不是此接口的字段' },
        { field: 'operator', message: '请输入值班人姓名' },
      ]),
    );
    for (const reply of h.replies) expect(JSON.stringify(reply)).not.toMatch(/\n\s+at /);
  });
});
