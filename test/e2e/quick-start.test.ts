/**
 * The README's quick start as a new user meets it on a machine without Electron's binary: `npm start` (scripts/
 * start.ts) says in one line that it opens the browser preview, and the preview host runs the console in its backend
 * thread exactly as the desktop program does. In Chromium: 首次设置, a shift, an abnormal release until 已上传 with the
 * platform's seqno; then Ctrl+C ends it in order, and its log file says so with no secret in it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../electron/preview/build.ts';
import { findElectronBinary } from '../../scripts/start.ts';
import { firstStartSetup, recordRelease } from '../electron-app/flow.ts';
import { launchChromium } from './stack.ts';

const NO_ELECTRON = !findElectronBinary().found;
const dataDir = mkdtempSync(join(tmpdir(), 'booth-quick-start-'));
let child: ChildProcess | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!NO_ELECTRON || !existsSync('/usr/bin/chromium'))('npm start where Electron cannot run', () => {
  it('says so in one line, opens the preview on the backend thread, records a release, stops in order', async () => {
    const started = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.ts'), '--data-dir', dataDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const lines = createInterface({ input: started.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    const url = String(first.value).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const said = stderr.split('\n').filter((l) => l.includes('未找到 Electron 程序'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('改为打开浏览器预览');
    expect(said[0]).toContain('node node_modules/electron/install.js');

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.setDefaultTimeout(20_000);
    await page.goto(url);
    await firstStartSetup(page);
    const seqno = await recordRelease(page, 'PS-QUICK-0001');
    expect(seqno).toBeTruthy();

    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    started.kill('SIGINT');
    expect(await exited).toBe(0);
    const log = readFileSync(join(dataDir, 'logs', 'console.log'), 'utf8');
    expect(log).toMatch(/\[backend\] INFO 后台服务已启动/);
    expect(log).toMatch(/\[backend\] INFO 后台服务已关闭/);
    // The sandbox's own secret is the only one set here: it never reaches the log.
    expect(log).not.toContain('sandbox-secret');
  }, 120_000);
});
