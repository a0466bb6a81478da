import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiResult, ConsoleEvent } from '../../shared/contract/api.ts';
import { createConsole, type BoothConsole, type ConsoleOptions } from '../../electron/console/handlers.ts';
import { openConsoleServices, type ConsoleServices } from '../../electron/services/open.ts';

export interface Harness {
  services: ConsoleServices;
  console: BoothConsole;
  events: ConsoleEvent[];
  replies: ApiResult<unknown>[];
  /** Calls a method and keeps its reply; throws when it was refused. */
  ok<T = unknown>(method: string, input?: unknown): Promise<T>;
  /** Calls a method that must be refused; returns the error. */
  refused(method: string, input?: unknown): Promise<Extract<ApiResult<unknown>, { ok: false }>['error']>;
  close(): Promise<void>;
}

/** The manager PIN of a console set up by openHarness (its 首次设置 done, nobody unlocked yet). */
export const HARNESS_PIN = '2468';

export async function openHarness(options: ConsoleOptions & { setUp?: boolean } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'booth-console-'));
  const services = await openConsoleServices({ dataDir, backoffBaseMs: 50 });
  // Most tests are about a console in use: its first-start setup is done. `setUp: false` for the setup itself.
  if (options.setUp !== false) services.settings.update({ managerPin: HARNESS_PIN });
  const c = createConsole(services, options);
  const events: ConsoleEvent[] = [];
  const replies: ApiResult<unknown>[] = [];
  c.subscribe((e) => events.push(e));
  const call = async (method: string, input?: unknown) => {
    const r = await c.call(method, input);
    replies.push(r);
    return r;
  };
  return {
    services,
    console: c,
    events,
    replies,
    async ok<T>(method: string, input?: unknown) {
      const r = await call(method, input);
      if (!r.ok) throw new Error(`${method} refused: ${JSON.stringify(r.error)}`);
      return r.value as T;
    },
    async refused(method: string, input?: unknown) {
      const r = await call(method, input);
      if (r.ok) throw new Error(`${method} should have been refused`);
      return r.error;
    },
    async close() {
      c.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` holds, polling; fails after `ms`. */
export async function until<T>(check: () => T | null | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
