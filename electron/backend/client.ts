/**
 * Starts the backend thread (worker.ts) for a host and speaks to it: contract calls as messages, events back, the
 * worker's log lines into the host's log, picked files read for it. The thread that called startBackend only relays,
 * so nothing the backend does (a 20,000-row import, a 100,000-row export, a drain at 100 records a second) holds it.
 *
 * A backend that stops on its own (an uncaught error, a crash of the thread) is noticed, logged and started again:
 * every record it had accepted is already in SQLite (committed before the reply), the shift is kept on disk, so
 * nothing is lost; a call in flight at that moment is answered `unavailable` (saving the same form again is safe: the
 * same content is the same record). The restart is said as a host notice (the status bar shows it); after five failed
 * restarts in a row it stops trying and says so.
 */
import { Worker } from 'node:worker_threads';
import { API, type ApiResult, type ConsoleEvent, type ConsoleStatus, type Session } from '../../shared/contract/api.ts';
import type { PublicSettings } from '../../shared/contract/settings.ts';
import type { HostNotice } from '../../shared/contract/host.ts';
import { createListeners } from '../services/listeners.ts';
import { exportPath } from '../services/exports.ts';
import { forwardLogLine, logError, logInfo, logWarn, maskSecret } from '../services/logger.ts';
import type { FromWorker, ToWorker, WorkerStart } from './protocol.ts';
import type { Backend, BackendInfo, BackendOptions } from './types.ts';

export class BackendStartError extends Error {
  override readonly name = 'BackendStartError';
}

const DEFAULT_WORKER = new URL('./worker.ts', import.meta.url);
const RESTART_DELAYS_MS = [200, 1000, 3000, 10_000, 30_000];
/**
 * A backend that stops again within this long of its start counts as failing (a record that throws on every pass
 * would otherwise restart it forever): after RESTART_DELAYS_MS.length such stops in a row it is not started again.
 */
const STABLE_AFTER_MS = 60_000;
const CLOSE_WAIT_MS = 8000;
const NOTICES_KEPT = 10;

type Pending = (json: Uint8Array) => void;

/** What a call in flight when the backend stopped is told: it may or may not have been saved. */
const IN_FLIGHT_LOST =
  '后台服务意外停止, 正在重新启动; 这次操作可能已经保存, 请先在已保存列表或推送日志中查看, 确认没有后再重新提交';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encode = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
/** A reply or event the backend sent as UTF-8 JSON, parsed (for the host's own few needs, and tests). */
export const parseJson = <T>(json: Uint8Array): T => JSON.parse(decoder.decode(json)) as T;

const unavailable = (message: string): Uint8Array =>
  encode({ ok: false, error: { code: 'unavailable', message } } satisfies ApiResult<never>);

export async function startBackend(options: BackendOptions & { workerUrl?: URL }): Promise<Backend> {
  const start: WorkerStart = {
    dataDir: options.dataDir,
    secretKey: options.secretKey ?? null,
    sandboxPort: options.sandboxPort ?? 0,
    holder: options.holder ?? null,
    backoffBaseMs: options.backoffBaseMs ?? null,
    embeddedSandbox: options.embeddedSandbox !== false,
    autoLockMs: options.autoLockMs ?? null,
    testHooks: options.testHooks === true,
  };
  const restartDelays = options.restartDelaysMs ?? RESTART_DELAYS_MS;
  const listeners = createListeners<ConsoleEvent>();
  const jsonListeners = createListeners<{ json: Uint8Array; type: ConsoleEvent['type'] }>();
  /** Parsed only when someone listens to parsed events (tests, in-process tools); hosts relay the bytes. */
  function emitJson(json: Uint8Array, type: ConsoleEvent['type']): void {
    jsonListeners.emit({ json, type });
    if (listeners.size() > 0) listeners.emit(parseJson<ConsoleEvent>(json));
  }
  function emit(event: ConsoleEvent): void {
    emitJson(encode(event), event.type);
  }
  const notices: HostNotice[] = [];
  let nextNoticeId = 1;
  let nextCallId = 1;
  let pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  let info: BackendInfo = { dataDir: options.dataDir, sandboxUrl: null, startupWarning: null };
  let closing = false;
  /** Stops in a row soon after a start (or failed starts): what the next restart waits, and when to give up. */
  let failures = 0;
  let restartTimer: NodeJS.Timeout | null = null;

  function notify(kind: HostNotice['kind'], message: string): HostNotice {
    const notice: HostNotice = { id: nextNoticeId++, at: Date.now(), kind, message };
    notices.push(notice);
    if (notices.length > NOTICES_KEPT) notices.shift();
    emit({ type: 'host', notice });
    return notice;
  }

  async function sendFile(w: Worker, id: number, handle: string): Promise<void> {
    let reply: ToWorker;
    let transfer: ArrayBuffer[] = [];
    try {
      const opened = options.files.open(handle);
      const { name, bytes } = await options.files.read(handle);
      // A file read from its path is a buffer of its own: handed over, not copied. The preview host's uploaded bytes
      // stay in the registry (a second import of the same pick), so they are copied.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      if ('path' in opened && whole && bytes.buffer instanceof ArrayBuffer) transfer = [bytes.buffer];
      reply = { t: 'file', id, ok: true, name, bytes };
    } catch (e) {
      reply = { t: 'file', id, ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    w.postMessage(reply, transfer);
  }

  /** Starts a worker; resolves when it is ready, rejects with what stopped it. */
  function spawn(): Promise<void> {
    const w = new Worker(options.workerUrl ?? DEFAULT_WORKER, { workerData: start, stdout: false, stderr: false });
    worker = w;
    const calls = new Map<number, Pending>();
    pending = calls;
    /** When the worker said it was ready; null while it is starting. */
    let readyAt: number | null = null;
    let closedCleanly = false;
    return new Promise<void>((resolve, reject) => {
      let startFailure: string | null = null;
      w.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'ready':
            readyAt = Date.now();
            info = m.info;
            resolve();
            return;
          case 'start-failed':
            startFailure = m.message;
            return;
          case 'result': {
            const answer = calls.get(m.id);
            calls.delete(m.id);
            answer?.(m.json);
            return;
          }
          case 'event':
            emitJson(m.json, m.type);
            return;
          case 'log':
            forwardLogLine(m.line, m.level);
            return;
          case 'secret':
            maskSecret(m.value);
            return;
          case 'file':
            void sendFile(w, m.id, m.handle);
            return;
          case 'closed':
            closedCleanly = true;
            return;
        }
      });
      w.on('error', (e) => {
        // An uncaught error in the backend thread: it is ending; 'exit' follows and restarts it.
        logError('backend.crash', e);
      });
      w.on('exit', (code) => {
        for (const answer of calls.values()) {
          answer(unavailable(IN_FLIGHT_LOST));
        }
        calls.clear();
        if (worker === w) worker = null;
        if (readyAt === null) {
          reject(new BackendStartError(startFailure ?? `后台服务启动失败 (退出码 ${code})`));
          return;
        }
        if (closing || closedCleanly) return;
        // Up for a while: a new trouble (start counting again); stopped soon after its start: the same one again.
        failures = Date.now() - readyAt >= STABLE_AFTER_MS ? 1 : failures + 1;
        logWarn('backend', `后台服务意外停止 (退出码 ${code}), 正在重新启动`);
        scheduleRestart(`退出码 ${code}`);
      });
    });
  }

  function scheduleRestart(why: string): void {
    if (closing) return;
    const delay = restartDelays[failures - 1];
    if (delay === undefined) {
      notify('backend-failed', `后台服务多次重启失败 (${why}); 已保存的记录都在, 请关闭并重新打开控制台`);
      return;
    }
    restartTimer = setTimeout(() => {
      restartTimer = null;
      spawn().then(
        () => {
          notify('backend-restarted', `后台服务意外停止 (${why}), 已自动重启; 已保存的记录没有丢失`);
          logInfo('backend', '后台服务已重新启动');
          void resync();
        },
        (e: unknown) => {
          failures++;
          logError('backend.restart', e);
          scheduleRestart(e instanceof Error ? e.message : String(e));
        },
      );
    }, delay);
    restartTimer.unref();
  }

  /** After a restart: the page hears the session, settings and queue status as they are now. */
  async function resync(): Promise<void> {
    const [session, settings, status] = await Promise.all([
      call('getSession', undefined),
      call('getSettings', undefined),
      call('getStatus', undefined),
    ]);
    if (session.ok) emit({ type: 'session', session: session.value as Session });
    if (status.ok) {
      const { queue, target } = status.value as ConsoleStatus;
      if (settings.ok) emit({ type: 'settings', settings: settings.value as PublicSettings, target });
      emit({ type: 'status', status: queue });
    }
  }

  async function call(method: string, input: unknown): Promise<ApiResult<unknown>> {
    return parseJson<ApiResult<unknown>>(await callJson(method, input));
  }

  function callJson(method: string, input: unknown): Promise<Uint8Array> {
    // The host's own notices, answered here; input that is not the method's goes on to the backend, which refuses it
    // as it refuses any other method's.
    if (method === 'hostNotices' && API.hostNotices.input.safeParse(input).success) {
      return Promise.resolve(encode({ ok: true, value: notices }));
    }
    const w = worker;
    if (!w || closing) {
      return Promise.resolve(unavailable(closing ? '控制台正在关闭' : '后台服务正在重新启动, 请稍后再试'));
    }
    const id = nextCallId++;
    return new Promise<Uint8Array>((resolve) => {
      pending.set(id, resolve);
      try {
        w.postMessage({ t: 'call', id, method, input } satisfies ToWorker);
      } catch (e) {
        // Input that cannot be cloned (a function, a symbol): refused as bad input, nothing was sent.
        pending.delete(id);
        const reply: ApiResult<never> = {
          ok: false,
          error: { code: 'invalid', message: `请求内容无效: ${(e as Error).message}` },
        };
        resolve(encode(reply));
      }
    });
  }

  async function close(): Promise<void> {
    closing = true;
    if (restartTimer) clearTimeout(restartTimer);
    const w = worker;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ t: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => {
      logWarn('backend', `后台服务 ${CLOSE_WAIT_MS / 1000} 秒内未关闭, 强制结束`);
      void w.terminate();
    }, CLOSE_WAIT_MS);
    await exited;
    clearTimeout(timer);
    logInfo('backend', '后台服务已关闭');
  }

  await spawn();
  logInfo('backend', `后台服务已启动 (数据目录 ${info.dataDir}; 内置沙箱 ${info.sandboxUrl ?? '未启动'})`);
  return {
    call,
    callJson,
    subscribe: listeners.add,
    subscribeJson: (listener) => jsonListeners.add(({ json, type }) => listener(json, type)),
    info: () => info,
    notices: () => [...notices],
    notify,
    exportPath: (handle) => exportPath(options.dataDir, handle),
    crashForTest: () => worker?.postMessage({ t: 'crash-for-test' } satisfies ToWorker),
    close,
  };
}
