/**
 * The bundled preload (dist/host/preload.cjs, as shipped) run as a sandboxed preload runs: one CommonJS script in a
 * context with no Node, whose `require` gives only `electron`. What it puts on the page is exactly the contract's
 * named functions and the host's file functions, each sending on its own channel.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HOST_OPEN_LOG_FOLDER_CHANNEL,
  HOST_PICK_CHANNEL,
  HOST_SAVE_CHANNEL,
  HOST_SAVE_EXPORT_CHANNEL,
} from '../../shared/contract/host.ts';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, METHOD_NAMES } from '../../shared/contract/methods.ts';
import { ensureHostBuilt, PRELOAD_BUNDLE } from './build-host.ts';

type Fn = (...args: unknown[]) => unknown;
interface Loaded {
  exposed: Map<string, Record<string, Fn>>;
  required: string[];
  invoked: { channel: string; args: unknown[] }[];
  listeners: Map<string, Set<Fn>>;
  /** What the next invoke answers. */
  reply: { value: unknown };
}

function loadPreload(): Loaded {
  const loaded: Loaded = {
    exposed: new Map(),
    required: [],
    invoked: [],
    listeners: new Map(),
    reply: { value: null },
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: Record<string, Fn>) {
        loaded.exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoke(channel: string, ...args: unknown[]) {
        loaded.invoked.push({ channel, args });
        return Promise.resolve(loaded.reply.value);
      },
      on(channel: string, fn: Fn) {
        if (!loaded.listeners.has(channel)) loaded.listeners.set(channel, new Set());
        loaded.listeners.get(channel)!.add(fn);
      },
      removeListener(channel: string, fn: Fn) {
        loaded.listeners.get(channel)?.delete(fn);
      },
    },
  };
  const require = (id: string) => {
    loaded.required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
    return electron;
  };
  const module = { exports: {} };
  const code = readFileSync(PRELOAD_BUNDLE, 'utf8');
  // TextDecoder: a web global of every renderer, sandboxed preloads included.
  const wrapped = runInNewContext(`(function (exports, require, module) {${code}\n})`, { Promise, Error, TextDecoder });
  (wrapped as Fn)(module.exports, require, module);
  return loaded;
}

beforeAll(async () => {
  await ensureHostBuilt();
}, 180_000);

describe('the bundled preload', () => {
  it('requires nothing but electron and exposes only boothApi and boothHost', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['boothApi', 'boothHost']);
  });

  it('gives one named function per contract method, each on its own channel, plus onEvent', async () => {
    const loaded = loadPreload();
    const api = loaded.exposed.get('boothApi')!;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'onEvent'].sort());
    for (const name of METHOD_NAMES) expect(typeof api[name], name).toBe('function');

    // Replies and events arrive as the backend's UTF-8 JSON (electron/host/ipc.ts), parsed in the page's process.
    loaded.reply.value = new TextEncoder().encode(JSON.stringify({ ok: true, value: 'status' }));
    await expect(api.getStatus!()).resolves.toEqual({ ok: true, value: 'status' });
    await api.startShift!({ operator: '张三' });
    expect(loaded.invoked).toEqual([
      { channel: `${IPC_PREFIX}getStatus`, args: [undefined] },
      { channel: `${IPC_PREFIX}startShift`, args: [{ operator: '张三' }] },
    ]);

    const seen: unknown[] = [];
    const stop = api.onEvent!((e: unknown) => seen.push(e)) as () => void;
    const [forward] = loaded.listeners.get(IPC_EVENT_CHANNEL)!;
    forward!({ sender: 'ipc event, not passed on' }, new TextEncoder().encode(JSON.stringify({ type: 'session' })));
    expect(seen).toEqual([{ type: 'session' }]);
    stop();
    expect(loaded.listeners.get(IPC_EVENT_CHANNEL)!.size).toBe(0);
  });

  it("gives the host's four file functions, which resolve with the value or throw the host's message", async () => {
    const loaded = loadPreload();
    const host = loaded.exposed.get('boothHost')!;
    expect(Object.keys(host).sort()).toEqual(['openLogFolder', 'pickFile', 'saveExport', 'saveFile']);

    loaded.reply.value = { ok: true, value: { saved: true, message: '已保存' } };
    const file = { handle: 'a'.repeat(32), filename: '推送日志.csv', mime: 'text/csv', bytes: 10 };
    await expect(host.saveExport!(file)).resolves.toEqual({ saved: true, message: '已保存' });
    await host.openLogFolder!();
    await host.pickFile!({ title: '选择表格', extensions: ['xlsx'] });
    await host.saveFile!({ filename: 'a.xlsx', mime: 'x', base64: '' });
    expect(loaded.invoked.map((c) => c.channel)).toEqual([
      HOST_SAVE_EXPORT_CHANNEL,
      HOST_OPEN_LOG_FOLDER_CHANNEL,
      HOST_PICK_CHANNEL,
      HOST_SAVE_CHANNEL,
    ]);

    loaded.reply.value = { ok: false, error: { code: 'unauthorized', message: '拒绝来自其他页面的请求' } };
    await expect(host.openLogFolder!()).rejects.toThrow('拒绝来自其他页面的请求');
  });
});
