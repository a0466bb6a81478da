/** The preview host over real services (embedded sandbox included) in a fresh data folder, and Debian's Chromium. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ApiResult } from '../../shared/contract/api.ts';
import { createConsole, type BoothConsole } from '../../electron/console/handlers.ts';
import { ensureRendererBuilt, RENDERER_OUT, REPO_ROOT } from '../../electron/preview/build.ts';
import { startPreviewHost, type PreviewHost } from '../../electron/preview/server.ts';
import { createFileRegistry, type FileRegistry } from '../../electron/services/file-registry.ts';
import { openConsoleServices, type ConsoleServices } from '../../electron/services/open.ts';
import { exportPath } from '../../electron/services/exports.ts';
import { LOG_FOLDER } from '../../shared/contract/host.ts';

export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

export interface Stack {
  services: ConsoleServices;
  console: BoothConsole;
  host: PreviewHost;
  /** The files the page uploaded (and tests may add directly). */
  files: FileRegistry;
  /** Calls the contract over HTTP, as any page (or script) on this machine could. */
  call<T = unknown>(
    method: string,
    input?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: ApiResult<T> }>;
  close(): Promise<void>;
}

/** The PIN of a stack whose first-start setup is done (startStack's default). */
export const STACK_PIN = '8642';

/** `setUp` (default true): the installer's 首次设置 is done (PIN STACK_PIN, station ST01, the sandbox), nobody unlocked. */
export async function startStack(options: { setUp?: boolean } = {}): Promise<Stack> {
  await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'booth-e2e-'));
  const services = await openConsoleServices({ dataDir, backoffBaseMs: 150 });
  if (options.setUp !== false) services.settings.update({ managerPin: STACK_PIN });
  const files = createFileRegistry();
  const boothConsole = createConsole(services, { files });
  const host = await startPreviewHost({
    console: boothConsole,
    staticDir: RENDERER_OUT,
    files,
    exportPath: (handle) => exportPath(dataDir, handle),
    logFolder: join(dataDir, LOG_FOLDER),
  });
  return {
    services,
    console: boothConsole,
    host,
    files,
    async call<T>(method: string, input?: unknown, token: string | null = host.token) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token !== null) headers['x-booth-token'] = token;
      const res = await fetch(`${host.origin}/api/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
      });
      return { status: res.status, body: (await res.json()) as ApiResult<T> };
    },
    async close() {
      await host.close();
      boothConsole.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
