/**
 * The backend thread (electron/backend): the console as both hosts run it, in a worker thread of the host's process.
 * Contract calls and events cross as messages; a picked file is read through the host; an export is a file; a crash
 * of the thread is noticed, said and recovered without losing a record; a start that cannot work says why.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendStartError, startBackend } from '../../electron/backend/client.ts';
import type { Backend } from '../../electron/backend/types.ts';
import { createFileRegistry, type FileRegistry } from '../../electron/services/file-registry.ts';
import { logError, setLogSink } from '../../electron/services/logger.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import type { ApiResult, ConsoleEvent, CsvExport, SubmitReleaseResult } from '../../shared/contract/api.ts';
import type { HostNotice } from '../../shared/contract/host.ts';
import type { ImportPreview } from '../../shared/contract/vip.ts';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { until } from '../console/helpers.ts';
import { renewalRows, TEMPLATE_HEADERS, xlsxOf } from '../support/vip-sheets.ts';

const PIN = '1357';
const form = {
  plate: '粤b12345',
  plateColor: '1',
  carType: '1',
  parkingSerial: 'PS-0001',
  operateTime: Date.now() - 60_000,
  reason: '设备异常',
  remark: '道闸卡住',
};

let dirs: string[] = [];
let backends: Backend[] = [];

afterEach(async () => {
  for (const b of backends) await b.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  backends = [];
  dirs = [];
});

/** A data folder whose first-start setup is done (PIN), as the installer leaves it. */
async function setUpFolder(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'booth-backend-'));
  dirs.push(dataDir);
  const s = await openConsoleServices({ dataDir, embeddedSandbox: false, startWorker: false });
  s.settings.update({ managerPin: PIN });
  await s.close();
  return dataDir;
}

async function start(dataDir: string, files: FileRegistry = createFileRegistry()) {
  const backend = await startBackend({ dataDir, files, backoffBaseMs: 50, testHooks: true });
  backends.push(backend);
  const events: ConsoleEvent[] = [];
  backend.subscribe((e) => events.push(e));
  async function ok<T>(method: string, input?: unknown): Promise<T> {
    const r = await backend.call(method, input);
    if (!r.ok) throw new Error(`${method} refused: ${JSON.stringify(r.error)}`);
    return r.value as T;
  }
  return { backend, events, ok };
}

const stateOf = (events: ConsoleEvent[], id: number) =>
  events.findLast((e): e is Extract<ConsoleEvent, { type: 'record' }> => e.type === 'record' && e.record.id === id)
    ?.record.state;

describe('the backend thread', () => {
  it('records an abnormal release through messages and sends it to the embedded sandbox', async () => {
    const { backend, events, ok } = await start(await setUpFolder());
    expect(backend.info().sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await ok('startShift', { operator: '张三' });
    const saved = await ok<SubmitReleaseResult>('submitRelease', form);
    await until(() => stateOf(events, saved.id) === 'accepted', 10_000);
    const record = await ok<QueuedRecord>('getRecord', { id: saved.id });
    expect(record.key).toBe(saved.flowNo);
    // Refusals are values with the contract's codes, as in-process.
    const refused = await backend.call('cancelRecord', { id: saved.id, reason: '测试' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'manager-required' } });
    const unknown = await backend.call('dropDatabase', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('reads a picked file through the host (the registry stays on the host side)', async () => {
    const files = createFileRegistry();
    const { ok } = await start(await setUpFolder(), files);
    await ok('unlockManager', { pin: PIN, name: '李经理' });
    const picked = files.addBytes('续费.xlsx', await xlsxOf(TEMPLATE_HEADERS, renewalRows(30)));
    const preview = await ok<ImportPreview>('checkVipImport', { file: picked.handle });
    expect(preview.rows).toBe(30);
    expect(preview.good).toBe(30);
    const gone = await ok<unknown>('checkVipImport', { file: 'no-such-handle' }).catch((e: Error) => e.message);
    expect(gone).toContain('找不到这个文件');
  });

  it('exports the push log as a file in the data folder, named by a handle only', async () => {
    const dataDir = await setUpFolder();
    const { backend, events, ok } = await start(dataDir);
    await ok('startShift', { operator: '张三' });
    const saved = await ok<SubmitReleaseResult>('submitRelease', form);
    await until(() => stateOf(events, saved.id) === 'accepted', 10_000);
    const out = await ok<CsvExport>('exportLogCsv', {});
    expect(out.rows).toBe(1);
    const path = backend.exportPath(out.file.handle)!;
    expect(path.startsWith(join(dataDir, 'exports'))).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('粤B12345');
    expect(backend.exportPath('../settings.json')).toBeNull();
    expect(backend.exportPath(`${out.file.handle}/..`)).toBeNull();
  });

  it('is restarted after a crash, says so, and loses no record', async () => {
    const dataDir = await setUpFolder();
    const { backend, events, ok } = await start(dataDir);
    await ok('startShift', { operator: '张三' });
    await ok('unlockManager', { pin: PIN, name: '李经理' });
    await ok('pauseQueue', { reason: '测试: 先不发送' });
    const saved = await ok<SubmitReleaseResult>('submitRelease', form);

    backend.crashForTest();
    const notice = await until(
      () => events.find((e): e is { type: 'host'; notice: HostNotice } => e.type === 'host')?.notice,
      15_000,
    );
    expect(notice.kind).toBe('backend-restarted');
    expect(notice.message).toContain('已自动重启');
    expect(notice.message).toContain('没有丢失');
    // The page that reloads asks for the notices again.
    const asked = (await backend.call('hostNotices', undefined)) as ApiResult<HostNotice[]>;
    expect(asked).toMatchObject({ ok: true, value: [{ id: notice.id, kind: 'backend-restarted' }] });
    // Answered by the host, but its input is checked as every method's.
    expect(await backend.call('hostNotices', { all: true })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    // The record typed before the crash is there and is sent once sending resumes; the shift is kept on disk.
    const session = await ok<{ operator: string | null; managerName: string | null }>('getSession');
    expect(session.operator).toBe('张三');
    const record = await ok<QueuedRecord>('getRecord', { id: saved.id });
    expect(record.state).toBe('waiting');
    await ok('unlockManager', { pin: PIN, name: '李经理' });
    await ok('resumeQueue');
    await until(() => stateOf(events, saved.id) === 'accepted', 10_000);
    // The page heard the session and status again after the restart (its view may have missed events).
    const after = events.slice(events.findIndex((e) => e.type === 'host'));
    expect(after.some((e) => e.type === 'session')).toBe(true);
    expect(after.some((e) => e.type === 'status')).toBe(true);
  });

  it('gives up, and says so, when it stops again soon after every restart (no endless restart loop)', async () => {
    const dataDir = await setUpFolder();
    const backend = await startBackend({
      dataDir,
      files: createFileRegistry(),
      testHooks: true,
      restartDelaysMs: [50, 50, 50],
    });
    backends.push(backend);
    const notices: HostNotice[] = [];
    backend.subscribe((e) => {
      if (e.type === 'host') notices.push(e.notice);
    });
    for (let restarts = 0; restarts < 3; restarts++) {
      backend.crashForTest();
      await until(() => notices.length === restarts + 1, 15_000);
      expect(notices.at(-1)!.kind).toBe('backend-restarted');
      expect((await backend.call('getStatus', undefined)).ok).toBe(true);
    }
    backend.crashForTest();
    await until(() => notices.length === 4, 15_000);
    expect(notices.at(-1)!.kind).toBe('backend-failed');
    expect(notices.at(-1)!.message).toContain('请关闭并重新打开控制台');
    expect(await backend.call('getStatus', undefined)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('refuses to start on a settings file it cannot read, naming the file, and leaves it as it was', async () => {
    const dataDir = await setUpFolder();
    const path = join(dataDir, 'settings.json');
    writeFileSync(path, '{ not json');
    const error = await startBackend({ dataDir, files: createFileRegistry() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendStartError);
    expect((error as Error).message).toContain('settings.json');
    expect(readFileSync(path, 'utf8')).toBe('{ not json');
  });

  it("masks, on the host's thread too, a secret only the backend thread was given", async () => {
    const { backend, ok } = await start(await setUpFolder());
    const lines: string[] = [];
    const previous = setLogSink((line) => lines.push(line));
    try {
      await ok('unlockManager', { pin: PIN, name: '李经理' });
      const secret = 'HOST-THREAD-SECRET-31415926';
      await ok('updateSettings', { appSecret: secret, keepSecretInKeyFile: true });
      await until(() => {
        logError('host.test', `请求失败: app 密钥 ${secret} 不对`);
        return lines.some((l) => l.includes('host.test') && !l.includes(secret));
      });
      expect(lines.join('\n')).not.toContain(secret);
      expect(backend.info().dataDir).toBeTruthy();
    } finally {
      setLogSink(previous);
    }
  });

  it('answers every call while closing or closed with unavailable, never a hang', async () => {
    const { backend } = await start(await setUpFolder());
    await backend.close();
    backends = [];
    expect(await backend.call('getStatus', undefined)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
