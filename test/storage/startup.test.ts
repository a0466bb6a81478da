/**
 * Issue 8, points 6 and 7, on real processes: a corrupt settings file stops the preview host and the
 * CLI with a message that names it (and nothing left listening); SIGTERM with a read-only data folder
 * ends the preview host within seconds; shutdown steps all run and are bounded.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureRendererBuilt, REPO_ROOT } from '../../electron/preview/build.ts';
import { setLogSink } from '../../electron/services/logger.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import { runSteps, shutdownWithin } from '../../electron/services/shutdown.ts';
import { tempDir } from '../support/sandbox.ts';

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const PREVIEW = join(REPO_ROOT, 'electron', 'preview', 'main.ts');
const CLI = join(REPO_ROOT, 'electron', 'cli', 'main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end, killing it after `limitMs` (then code is null). */
function run(args: string[], limitMs: number, wrap: string[] = []): Promise<Run> {
  const started = Date.now();
  const [cmd, ...rest] = [...wrap, NODE, ...args];
  const child = spawn(cmd!, rest, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

beforeAll(async () => {
  await ensureRendererBuilt();
}, 120_000);

describe('a corrupt settings file', () => {
  function corruptFolder(): { dir: string; file: string } {
    const dir = tempDir('corrupt-settings');
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"settings": {"stationId": "B1",');
    return { dir, file };
  }
  const message = (file: string) => `设置文件已损坏: ${file}。请从备份恢复, 或删除它后重新设置 (记录不受影响)。`;

  it('stops the preview host: non-zero exit within seconds, naming the file', async () => {
    const { dir, file } = corruptFolder();
    const r = await run([PREVIEW, '--data-dir', dir], 15_000);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.stderr).toContain(message(file));
    expect(r.stdout).toBe(''); // no address: nothing was offered
  }, 20_000);

  it('stops a CLI command on that folder the same way', async () => {
    const { dir, file } = corruptFolder();
    const r = await run([CLI, 'status', '--data-dir', dir], 15_000);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain(message(file));
  }, 20_000);

  it('leaves nothing listening in-process either (the sandbox starts after the settings are read)', async () => {
    const { dir, file } = corruptFolder();
    await expect(openConsoleServices({ dataDir: dir })).rejects.toThrow(message(file));
  });
});

describe('a settings value that does not pass (issue 8: values silently changed)', () => {
  it('stops the preview host naming the file, the field and its value (no sandbox by default)', async () => {
    const dir = tempDir('bad-settings-value');
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"settings":{"platform":"prodution","parkUuid":"P1"}}');
    const r = await run([PREVIEW, '--data-dir', dir], 15_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`设置文件中有无效的设置项: ${file}。settings.platform = "prodution"`);
    expect(r.stderr).toContain('请改正或删除该项后重新启动 (记录不受影响)。');
  }, 20_000);
});

const canDropRoot = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

describe('SIGTERM with a read-only data folder', () => {
  it.skipIf(!canDropRoot)(
    'the preview host (as an unprivileged user) exits within seconds',
    async () => {
      const parent = tempDir('ro');
      chmodSync(parent, 0o755);
      const dir = join(parent, 'd');
      mkdirSync(dir);
      chownSync(dir, 65534, 65534);
      const started = Date.now();
      const child = spawn(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', NODE, PREVIEW, '--data-dir', dir],
        {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      while (!stdout.includes('http')) {
        if (Date.now() - started > 20_000 || child.exitCode !== null)
          throw new Error(`preview did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // The folder becomes read-only under the running console (a USB stick locked, a share remounted).
      chmodSync(dir, 0o555);
      for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o444);
      const t = Date.now();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(killer);
      expect(Date.now() - t).toBeLessThan(SECONDS * 1000);
      expect(code).not.toBeNull(); // ended by itself, not by the SIGKILL
      expect(stderr).toContain('正在关闭');
    },
    40_000,
  );
});
const SECONDS = 8;

describe('shutdown steps', () => {
  it('all run though one fails; the failure is logged', async () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    const done: string[] = [];
    const ok = await runSteps([
      [
        'queue',
        () => {
          throw Object.assign(new Error('EACCES, Permission denied: worker.lock.json'), { code: 'EACCES' });
        },
      ],
      ['sandbox', () => void done.push('sandbox')],
    ]);
    setLogSink(null);
    expect(ok).toBe(false);
    expect(done).toEqual(['sandbox']);
    expect(lines[0]).toMatch(/\[shutdown\.queue\] ERROR EACCES/);
  });

  it('exit comes within the deadline even when a step never ends', async () => {
    vi.useFakeTimers();
    try {
      setLogSink(() => {});
      const exit = vi.fn();
      const p = shutdownWithin([['stuck', () => new Promise(() => {})]], exit, 3000);
      await vi.advanceTimersByTimeAsync(2999);
      expect(exit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      setLogSink(null);
      vi.useRealTimers();
    }
  });

  it('services.close() closes the sandbox even when stopping the queue throws', async () => {
    setLogSink(() => {});
    const s = await openConsoleServices({ dataDir: tempDir('close'), startWorker: false });
    s.queue.stop = () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
    const url = s.sandbox!.url;
    await s.close();
    setLogSink(null);
    await expect(fetch(`${url}/__sandbox/health`)).rejects.toThrow();
  });
});
