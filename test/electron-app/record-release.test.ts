/**
 * The desktop program itself, driven with Playwright's `_electron`: the real Electron binary on the bundled app
 * (package.json main = dist/host/main.js), or the packaged program when BOOTH_APP_EXE names its .exe (the Windows CI,
 * on a copy of release/win-unpacked whose Node-inspect fuse is switched back on: Playwright drives the main process
 * through Node's inspector, which the shipped fuses refuse). A fresh user-data folder (Electron's own
 * `--user-data-dir` switch) makes it a first start: 首次设置, a shift, an abnormal release typed with the keyboard,
 * and the save confirmed as 已上传 by the embedded sandbox platform.
 *
 * Where no Electron binary is installed (a machine with no route to Electron's downloads) it is reported as skipped,
 * with the reason on stderr and as the skip's note; so is a Linux machine with no display (xvfb-run gives one).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/start.ts';
import { ensureAppBuilt, ROOT } from '../delivery/built.ts';
import { firstStartSetup, recordRelease } from './flow.ts';

type Target = { launch: true; executablePath: string; args: string[]; what: string } | { launch: false; why: string };

function target(): Target {
  const exe = process.env.BOOTH_APP_EXE;
  // Named but missing: a broken CI step, which must fail (launching it throws), not skip.
  if (exe) return { launch: true, executablePath: exe, args: [], what: `packaged app ${exe}` };
  const electron = findElectronBinary();
  if (!electron.found) return { launch: false, why: `no Electron binary: ${electron.reason}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { launch: false, why: 'no display for the window (run it under xvfb-run)' };
  }
  // The app's folder without a trailing separator: on Windows Playwright quotes each argument for a shell, where `\"`
  // would escape the closing quote.
  const appDir = ROOT.replace(/[\\/]+$/, '');
  return { launch: true, executablePath: electron.path, args: [appDir], what: `electron ${appDir}` };
}

const TARGET = target();

let app: ElectronApplication | undefined;
let page: Page;
let userData: string;

function launched(target: Extract<Target, { launch: true }>): void {
  beforeAll(async () => {
    if (!process.env.BOOTH_APP_EXE) await ensureAppBuilt();
    userData = mkdtempSync(join(tmpdir(), 'booth-electron-'));
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({
      executablePath: target.executablePath,
      args: [...target.args, `--user-data-dir=${userData}`],
      env: env as Record<string, string>,
      timeout: 90_000,
    });
    page = await app.firstWindow({ timeout: 60_000 });
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    if (app) {
      const process = app.process();
      // Quitting with nothing waiting ends the app; a hung quit must not hang the test run.
      const closed = await Promise.race([
        app.close().then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 20_000)),
      ]);
      if (!closed) process.kill();
    }
    if (userData && existsSync(userData)) rmSync(userData, { recursive: true, force: true });
  }, 60_000);

  it('serves its own page, sandboxed: no Node in the renderer, the contract behind the preload', async () => {
    expect(new URL(page.url()).protocol).toBe('app:');
    const globals = await page.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      return { require: typeof g.require, process: typeof g.process, boothApi: typeof g.boothApi };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', boothApi: 'object' });
  });

  it('does the first-start setup on a new data folder', async () => {
    await firstStartSetup(page);
  });

  it('starts a shift and records an abnormal release, sent to the embedded sandbox (已上传)', async () => {
    expect(await recordRelease(page, 'PS-ELECTRON-0001')).toBeTruthy();
  }, 60_000);
}

if (TARGET.launch) {
  describe(`the desktop program (${TARGET.what})`, () => launched(TARGET));
} else {
  // Where it cannot run, one test says why: in the output of any reporter (stderr) and as the skip's note.
  const why = TARGET.why;
  it('the desktop program records an abnormal release end to end', (ctx) => {
    console.warn(`跳过 (skipped): ${why}`);
    ctx.skip(why);
  });
}
