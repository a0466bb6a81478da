/**
 * Issue 8, points 1–5: the logger, storage errors in Chinese, a failed result write never silent,
 * the database file deleted or replaced under a running console, and a folder whose database
 * went missing while stopped.
 */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { toApiError } from '../../electron/console/errors.ts';
import { runCli } from '../../electron/cli/main.ts';
import { DB_FILE, openDb } from '../../electron/queue/db.ts';
import { storageMessage, StorageError } from '../../electron/queue/storage-errors.ts';
import { logError, logWarn, setLogSink } from '../../electron/services/logger.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import { updateRecord } from '../fixtures/records.ts';
import { openHarness, until } from '../support/queue-harness.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';

const logged: string[] = [];
setLogSink((line) => logged.push(line));
afterEach(() => {
  logged.length = 0;
});

describe('logger', () => {
  it('writes one line: ISO time, context, level, the message only (no stack)', () => {
    const e = new Error('第一行\n第二行');
    logError('queue.test', e);
    logWarn('ctx', 'careful');
    expect(logged[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[queue\.test\] ERROR 第一行 第二行$/);
    expect(logged[0]).not.toContain('at ');
    expect(logged[1]).toMatch(/\[ctx\] WARN careful$/);
  });
});

describe('storage errors in Chinese', () => {
  it('a read-only database, as node:sqlite reports it, says so and what to do (not 内部错误)', () => {
    const dir = tempDir('ro');
    const file = join(dir, 'x.sqlite');
    new DatabaseSync(file).exec('CREATE TABLE t (x)');
    const ro = new DatabaseSync(file, { readOnly: true });
    let err: unknown;
    try {
      ro.exec('INSERT INTO t VALUES (1)');
    } catch (e) {
      err = e;
    }
    ro.close();
    const api = toApiError(err);
    expect(api.message).toMatch(/^数据目录只读: .*请检查文件夹权限或磁盘, 记录未保存。$/);
    expect(api.code).toBe('unavailable');
  });

  it('maps every storage code', () => {
    const sq = (errcode: number) => Object.assign(new Error('x'), { errcode });
    expect(storageMessage(sq(13), 'D')).toMatch(/^磁盘已满: D/);
    expect(storageMessage(sq(5), 'D')).toMatch(/^数据库正被另一个程序占用: D.*稍后再试/);
    expect(storageMessage(sq(6), 'D')).toMatch(/^数据库正被另一个程序占用/);
    expect(storageMessage(sq(10 | (3 << 8)), 'D')).toMatch(/^读写数据库失败/); // extended code
    expect(storageMessage(sq(11), 'D')).toMatch(/^数据库文件已损坏/);
    expect(storageMessage(sq(26), 'D')).toMatch(/^数据库文件已损坏/);
    expect(storageMessage(sq(14), 'D')).toMatch(/^无法打开数据库/);
    const fsErr = (code: string) => Object.assign(new Error('x'), { code, path: '/p' });
    for (const c of ['EROFS', 'EACCES', 'EPERM']) expect(storageMessage(fsErr(c))).toMatch(/^数据目录只读: \/p/);
    expect(storageMessage(fsErr('ENOSPC'))).toMatch(/^磁盘已满: \/p/);
    expect(storageMessage(new Error('other'))).toBeNull();
    expect(toApiError(new Error('other')).message).toBe('内部错误: other');
  });

  it('the CLI says the same: a data folder whose booth.sqlite is not a database', async () => {
    const dir = tempDir('notadb');
    writeFileSync(join(dir, DB_FILE), 'this is not a database, but long enough to have a header '.repeat(10));
    let stderr = '';
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => {
      stderr += s;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await runCli(['status', '--data-dir', dir], () => {})).not.toBe(0);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr).toMatch(/数据库文件已损坏: .*从备份恢复/);
    expect(stderr).not.toContain('内部错误');
  });
});

describe('a failed write of an attempt result', () => {
  const { sandbox, target } = useSandbox();

  const writeFailureLoggedAndRetried =
    'is logged and shown in the status; the record goes again with its key; the problem clears after a good write';
  it(writeFailureLoggedAndRetried, async () => {
    const h = openHarness(target());
    try {
      const realTx = h.db.tx;
      let failing = true;
      let failed = 0;
      h.db.tx = ((fn: () => unknown) => {
        if (failing && new Error().stack?.includes('attempt-writer')) {
          failed++;
          throw Object.assign(new Error('database or disk is full'), {
            code: 'ERR_SQLITE_ERROR',
            errcode: 13,
            errstr: 'database or disk is full',
          });
        }
        return realTx(fn);
      }) as typeof h.db.tx;
      h.queue.start();
      const { key } = h.queue.enqueue('update', updateRecord());
      await until(() => failed >= 1);
      expect(h.queue.status().storage).toMatchObject({
        kind: 'write-failed',
        problem: expect.stringMatching(/^磁盘已满: /),
      });
      expect(logged.some((l) => l.includes('[queue.attempt-writer] ERROR') && l.includes('磁盘已满'))).toBe(true);
      expect(h.queue.get(1)?.state).toBe('waiting'); // on disk: still to be sent
      failing = false;
      await until(() => h.queue.get(1)?.state === 'accepted', 10_000);
      expect(h.queue.status().storage).toBeNull();
      const received = sandbox()
        .state()
        .requests.filter((r) => r.key === key);
      expect(received.length).toBeGreaterThanOrEqual(2); // sent again, with the same key
    } finally {
      await h.close();
    }
  });
});

describe('the database file deleted or replaced while running', () => {
  for (const how of ['deleted', 'replaced'] as const) {
    it(`${how}: enqueue fails with a storage error, the status says so`, async () => {
      const dir = tempDir(`gone-${how}`);
      const s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
      try {
        s.queue.enqueue('update', updateRecord());
        const file = join(dir, DB_FILE);
        if (how === 'deleted') {
          for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
        } else {
          const other = tempDir('other');
          openDb(other).close();
          copyFileSync(join(other, DB_FILE), `${file}.new`);
          rmSync(file);
          copyFileSync(`${file}.new`, file);
        }
        let err: unknown;
        try {
          s.queue.enqueue('update', updateRecord());
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(StorageError);
        expect(toApiError(err)).toEqual({
          code: 'unavailable',
          message: `数据库文件已被删除或替换: ${file}。已停止保存, 请重启控制台。`,
        });
        expect(s.queue.status().storage).toMatchObject({
          kind: 'file-gone',
          problem: expect.stringContaining('数据库文件已被删除或替换'),
        });
      } finally {
        await s.close();
      }
    });
  }
});

describe('a folder whose database went missing while stopped', () => {
  const warnsOfAMissingDatabase =
    'warns at the next start (status and stderr) once it had held records; not for a new or never-used folder';
  it(warnsOfAMissingDatabase, async () => {
    const dir = tempDir('missing');
    let s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
    expect(s.startupWarning).toBeNull();
    await s.close();
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) rmSync(join(dir, f), { force: true });
    // Never held a record: nothing lost, nothing said.
    s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
    expect(s.startupWarning).toBeNull();
    s.queue.enqueue('update', updateRecord());
    await s.close();
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) rmSync(join(dir, f), { force: true });

    s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
    try {
      expect(s.startupWarning).toMatch(/^数据库文件不见了: .*booth\.sqlite。此数据目录曾保存过记录/);
      expect(s.queue.status().storage).toMatchObject({ kind: 'missing-at-start' });
      expect(logged.some((l) => l.includes('WARN 数据库文件不见了'))).toBe(true);
      // Saving in the new database still works, and the warning stays until the restart.
      s.queue.enqueue('update', updateRecord());
      expect(s.queue.status().storage?.kind).toBe('missing-at-start');
    } finally {
      await s.close();
    }
    // The new database held a record: it is now this folder's, and the next start is quiet.
    s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
    expect(s.startupWarning).toBeNull();
    expect(s.queue.status().storage).toBeNull();
    await s.close();
  });

  it('the CLI prints the warning on stderr', async () => {
    const dir = tempDir('missing-cli');
    const s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
    s.queue.enqueue('update', updateRecord());
    await s.close();
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) rmSync(join(dir, f), { force: true });
    expect(await runCli(['status', '--data-dir', dir], () => {})).toBe(0);
    expect(logged.some((l) => l.includes('WARN 数据库文件不见了'))).toBe(true);
  });
});
