/**
 * The bundled main process (dist/host/main.js, as shipped) in a child Node process, with the stand-in electron
 * (fake-electron/): what it did arrives as records, and the test drives it with the stand-in's commands.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResult } from '../../shared/contract/api.ts';
import { REPO_ROOT } from '../../electron/preview/build.ts';
import { MAIN_BUNDLE } from './build-host.ts';
import type { FakeRecord, FromChild, ToChild } from './fake-electron/electron.ts';

export type { FakeRecord } from './fake-electron/electron.ts';

const REGISTER = fileURLToPath(new URL('./fake-electron/register.ts', import.meta.url));
/** The console's page, as the window loads it: the only sender the IPC answers. */
export const PAGE = 'app://console/index.html';

export interface HostChild {
  readonly userData: string;
  readonly records: FakeRecord[];
  /** The last record's sequence number: pass as `since` to wait only for what comes after. */
  mark(): number;
  command<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** A contract method over IPC, as the page at `senderUrl` calls it. */
  call<T = unknown>(method: string, input?: unknown, senderUrl?: string): Promise<ApiResult<T>>;
  /** A contract method the page calls that must succeed. */
  ok<T = unknown>(method: string, input?: unknown): Promise<T>;
  /** The first record of `kind` after `since` that matches, as soon as there is one. */
  waitFor(
    kind: string,
    match?: (r: FakeRecord) => boolean,
    options?: { since?: number; ms?: number },
  ): Promise<FakeRecord>;
  /** Every record of `kind` (after `since`). */
  all(kind: string, since?: number): FakeRecord[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Kills the child if it still runs and deletes its userData folder. */
  dispose(): Promise<void>;
}

export interface LaunchOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Files written into the new userData folder before the start (name: content). */
  files?: Record<string, string>;
}

export function launchHost(options: LaunchOptions = {}): HostChild {
  const userData = mkdtempSync(join(tmpdir(), 'booth-host-'));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(userData, name), content);
  const child: ChildProcess = fork(MAIN_BUNDLE, options.args ?? [], {
    cwd: REPO_ROOT,
    execPath: process.execPath,
    execArgv: ['--import', REGISTER],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, FAKE_ELECTRON_USER_DATA: userData, ...options.env },
  });
  const records: FakeRecord[] = [];
  const waiters = new Set<() => void>();
  const replies = new Map<number, (m: Extract<FromChild, { type: 'reply' }>) => void>();
  let nextId = 1;
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  child.stdout?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  child.on('message', (m: FromChild) => {
    if (m.type === 'record') {
      records.push(m.record);
      for (const wake of waiters) wake();
    } else {
      replies.get(m.id)?.(m);
      replies.delete(m.id);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const wake of waiters) wake();
      for (const answer of replies.values()) answer({ type: 'reply', id: 0, ok: false, error: 'the host exited' });
      resolve({ code, signal });
    });
  });

  const host: HostChild = {
    userData,
    records,
    mark: () => records.at(-1)?.seq ?? 0,
    command<T>(op: string, args: Record<string, unknown> = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        if (child.exitCode !== null || !child.connected) {
          reject(new Error(`the host has exited; cannot run ${op}\n${err}`));
          return;
        }
        replies.set(id, (m) => (m.ok ? resolve(m.value as T) : reject(new Error(`${op}: ${m.error}`))));
        child.send({ type: 'command', id, op, args } satisfies ToChild);
      });
    },
    /** A contract call as the page makes it; the reply crosses IPC as the backend's UTF-8 JSON (ipc.ts). */
    async call<T>(method: string, input?: unknown, senderUrl = PAGE) {
      const json = await host.command<unknown>('invoke', { channel: `booth:${method}`, senderUrl, input });
      if (!(json instanceof Uint8Array)) throw new Error(`${method}: the reply is not UTF-8 JSON: ${String(json)}`);
      return JSON.parse(new TextDecoder().decode(json)) as ApiResult<T>;
    },
    async ok<T>(method: string, input?: unknown) {
      const r = await host.call<T>(method, input);
      if (!r.ok) throw new Error(`${method} refused: ${JSON.stringify(r.error)}`);
      return r.value;
    },
    waitFor(kind, match = () => true, { since = 0, ms = 15_000 } = {}) {
      const find = () => records.find((r) => r.seq > since && r.kind === kind && match(r));
      return new Promise<FakeRecord>((resolve, reject) => {
        const check = () => {
          const found = find();
          if (found) {
            done();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`the host exited before ${kind}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${kind}\n${err}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    all: (kind, since = 0) => records.filter((r) => r.kind === kind && r.seq > since),
    exited,
    stderr: () => err,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(userData, { recursive: true, force: true });
    },
  };
  return host;
}
