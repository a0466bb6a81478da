/**
 * Issue 9 ("The manager"): 立即重试, a settings change retrying every waiting record at once, the manager's own name in
 * the audit, removing a stored secret through the contract, and the log CSV's new columns and message.
 */
import { readFileSync } from 'node:fs';
import { exportPath } from '../../electron/services/exports.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsole, type BoothConsole } from '../../electron/console/handlers.ts';
import { openConsoleServices, type ConsoleServices } from '../../electron/services/open.ts';
import type { CsvExport, RetryNowResult, Session, SubmitReleaseResult } from '../../shared/contract/api.ts';
import type { AuditEntry, QueueStatus } from '../../shared/contract/queue.ts';
import type { PublicSettings } from '../../shared/contract/settings.ts';
import { parseLocal } from '../../shared/records/time.ts';
import { until } from './helpers.ts';

const form = {
  plate: '粤B12345',
  plateColor: '1',
  carType: '1',
  parkingSerial: 'PS-7788',
  operateTime: parseLocal('2025-03-01 08:30:00', 'Asia/Shanghai')!,
  reason: '设备异常',
  remark: '道闸卡住',
};

/** A console whose retries wait a minute and more: a record that failed once is not sent again by itself. */
let dir: string;
let services: ConsoleServices;
let c: BoothConsole;
async function ok<T>(method: string, input?: unknown): Promise<T> {
  const r = await c.call(method, input);
  if (!r.ok) throw new Error(`${method} refused: ${JSON.stringify(r.error)}`);
  return r.value as T;
}
async function refused(method: string, input?: unknown) {
  const r = await c.call(method, input);
  if (r.ok) throw new Error(`${method} should have been refused`);
  return r.error;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'booth-manager-'));
  services = await openConsoleServices({ dataDir: dir, backoffBaseMs: 60_000 });
  services.settings.update({ managerPin: '2468' }); // 首次设置 done; nobody unlocked
  c = createConsole(services);
});
afterEach(async () => {
  c.close();
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A release that the sandbox answered 503: it waits a minute or more for its next try. */
let serial = 0;
async function failedOnce(): Promise<SubmitReleaseResult> {
  services.sandbox!.setFaults([{ kind: 'error', httpStatus: 503, count: 1 }]);
  serial += 1;
  const r = await ok<SubmitReleaseResult>('submitRelease', { ...form, parkingSerial: `PS-77${serial}` });
  await until(() => services.queue.get(r.id)!.attempts === 1);
  const waiting = services.queue.get(r.id)!;
  expect(waiting.state).toBe('waiting');
  expect(waiting.nextAttemptAt! - Date.now()).toBeGreaterThan(20_000);
  return r;
}

describe('立即重试', () => {
  it('sends a record waiting on its backoff now, audited with the guard on shift', async () => {
    expect((await refused('retryNow', {})).code).toBe('shift-required');
    await ok('startShift', { operator: '张三' });
    const r = await failedOnce();
    expect(await ok<RetryNowResult>('retryNow', { id: r.id })).toEqual({ retried: 1 });
    await until(() => services.queue.get(r.id)!.state === 'accepted', 3000);
    expect(services.queue.get(r.id)!.attempts).toBe(2);
    const audit = await ok<AuditEntry[]>('listAudit', { recordId: r.id });
    expect(audit).toMatchObject([{ action: 'resubmit', actor: '张三', reason: '立即重试', recordId: r.id }]);
    // Nothing to retry any more: refused with a reason, not audited.
    const err = await refused('retryNow', { id: r.id });
    expect(err).toMatchObject({ code: 'conflict', message: expect.stringContaining('已上传') });
    expect((await refused('retryNow', { id: 999 })).code).toBe('not-found');
  });

  it('without an id: every record waiting on a retry, in one audit entry', async () => {
    await ok('startShift', { operator: '张三' });
    const a = await failedOnce();
    const b = await failedOnce();
    expect(await ok<RetryNowResult>('retryNow', {})).toEqual({ retried: 2 });
    await until(() => [a, b].every((r) => services.queue.get(r.id)!.state === 'accepted'), 3000);
    const all = await ok<AuditEntry[]>('listAudit');
    expect(all).toMatchObject([{ action: 'resubmit', actor: '张三', recordId: null }]);
    expect(all[0]!.reason).toContain('2 条');
    expect(await ok<RetryNowResult>('retryNow', {})).toEqual({ retried: 0 });
  });
});

describe('a settings change', () => {
  it('tries every waiting record again at once instead of after its backoff', async () => {
    await ok('startShift', { operator: '张三' });
    await ok('unlockManager', { pin: '2468', name: '李经理' });
    const r = await failedOnce();
    await ok('updateSettings', { timeoutMs: 15_000 });
    await until(() => services.queue.get(r.id)!.state === 'accepted', 3000);
  });
});

describe('the audit names the manager who unlocked', () => {
  it('李经理 (管理员), not the guard on shift; the name is asked again at the next unlock', async () => {
    await ok('startShift', { operator: '张三' });
    const set = await ok<Session>('unlockManager', { pin: '2468', name: ' 李经理 ' });
    expect(set).toMatchObject({ manager: true, managerName: '李经理' });
    const paused = await ok<QueueStatus>('pauseQueue', { reason: '平台维护' });
    expect(paused.paused).toMatchObject({ kind: 'manual', by: '李经理 (管理员)' });
    expect((await ok<Session>('lockManager')).managerName).toBeNull();

    // A wrong PIN still counts towards the lockout, with the name given or not.
    expect((await refused('unlockManager', { pin: '0000', name: '王经理' })).code).toBe('wrong-pin');
    expect((await refused('unlockManager', { pin: '2468', name: '  ' })).issues?.[0]?.field).toBe('name');
    expect(await ok<Session>('unlockManager', { pin: '2468', name: '王经理' })).toMatchObject({
      manager: true,
      managerName: '王经理',
    });
    await ok('resumeQueue');
    await ok('lockManager');
    // Unlocked without a name (an older caller): the audit says 管理员, still not the guard.
    await ok('unlockManager', { pin: '2468' });
    await ok('pauseQueue', { reason: '再次维护' });
    const audit = await ok<AuditEntry[]>('listAudit');
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['pause', '管理员'],
      ['resume', '王经理 (管理员)'],
      ['pause', '李经理 (管理员)'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('张三 (管理员)');
  });
});

describe('删除密钥 through the contract', () => {
  it('is for managers only, and the sandbox then uses its own secret again', async () => {
    expect((await refused('clearSecret', {})).code).toBe('manager-required');
    await ok('startShift', { operator: '张三' });
    await ok('unlockManager', { pin: '2468', name: '李经理' });
    await ok('updateSettings', { appSecret: 'the-vendors-secret-1234', keepSecretInKeyFile: true });
    const r = await ok<SubmitReleaseResult>('submitRelease', form);
    await until(() => services.queue.status().paused?.kind === 'auth');
    const cleared = await ok<PublicSettings>('clearSecret', { platform: 'sandbox' });
    expect(cleared).toMatchObject({ secretSet: false, platforms: { sandbox: { secretSet: false } } });
    await until(() => services.queue.get(r.id)!.state === 'accepted', 3000);
    expect(services.queue.status().paused).toBeNull();
  });
});

describe('the log CSV', () => {
  it('has 操作人, 放行原因 and 停车流水号, and its message says where the file went', async () => {
    await ok('startShift', { operator: '张三' });
    const r = await ok<SubmitReleaseResult>('submitRelease', form);
    await until(() => services.queue.get(r.id)!.state === 'accepted');
    const out = await ok<CsvExport>('exportLogCsv', {});
    const csv = readFileSync(exportPath(services.dataDir, out.file.handle)!, 'utf8');
    const [head, line] = csv.replace('\uFEFF', '').trim().split('\r\n');
    const cols = head!.split(',');
    const cells = line!.split(',');
    const cell = (name: string) => cells[cols.indexOf(name)];
    expect(cols).toEqual(expect.arrayContaining(['操作人', '放行原因', '停车流水号']));
    expect(cell('操作人')).toBe('张三');
    expect(cell('放行原因')).toContain('设备异常');
    expect(cell('停车流水号')).toBe('PS-7788');
    expect(out.message).toBe(`已导出 1 条, 文件名 ${out.file.filename}`);
  });
});
