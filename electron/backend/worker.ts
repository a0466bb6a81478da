/**
 * The backend thread: the whole console (the contract's handlers, the outbox and its worker, the settings, the
 * embedded sandbox) in a worker thread of the host's process, so that the thread answering the window (Electron's main
 * thread, the preview host's server) never waits on SQLite, an import, an export or a drain. Started by client.ts;
 * talks to it only through the messages in protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiResult, ConsoleEvent } from '../../shared/contract/api.ts';
import type { FileSource } from '../../shared/contract/host.ts';
import { ConsoleError } from '../console/errors.ts';
import { createConsole, type BoothConsole } from '../console/handlers.ts';
import { storageMessage } from '../queue/storage-errors.ts';
import { sweepExports } from '../services/exports.ts';
import { logError, onMaskedSecret, setLogSink } from '../services/logger.ts';
import { openConsoleServices, type ConsoleServices } from '../services/open.ts';
import { runSteps } from '../services/shutdown.ts';
import { aesGcmCipher } from '../settings/secret-cipher.ts';
import type { FromWorker, ToWorker, WorkerStart } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('electron/backend/worker.ts runs only as a worker thread (see client.ts)');
const start = workerData as WorkerStart;
const post = (m: FromWorker) => port.postMessage(m);
const encoder = new TextEncoder();
/** UTF-8 JSON in a buffer of its own, handed over to the host's thread (transferred, never copied). */
function postJson(m: { t: 'result'; id: number } | { t: 'event'; type: ConsoleEvent['type'] }, value: unknown): void {
  const json = encoder.encode(JSON.stringify(value));
  port?.postMessage({ ...m, json } satisfies FromWorker, [json.buffer as ArrayBuffer]);
}

// Every line this thread logs goes to the host's log (file and stderr), which outlives this thread; every secret it
// masks, the host masks too.
setLogSink((line, level) => post({ t: 'log', line, level }));
onMaskedSecret((value) => post({ t: 'secret', value }));

/** The bytes of a picked file, asked of the host that holds the registry. */
const fileWaits = new Map<
  number,
  { resolve: (f: { name: string; bytes: Uint8Array }) => void; reject: (e: Error) => void }
>();
let nextFileId = 1;
const files: FileSource = {
  read(handle) {
    const id = nextFileId++;
    return new Promise((resolve, reject) => {
      fileWaits.set(id, { resolve, reject });
      post({ t: 'file', id, handle });
    });
  },
};

const closingReply: ApiResult<never> = { ok: false, error: { code: 'unavailable', message: '后台服务正在关闭' } };
const internalError: ApiResult<never> = { ok: false, error: { code: 'unavailable', message: '内部错误' } };

let services: ConsoleServices | null = null;
let boothConsole: BoothConsole | null = null;

async function open(): Promise<void> {
  try {
    services = await openConsoleServices({
      dataDir: start.dataDir,
      sandboxPort: start.sandboxPort,
      ...(start.secretKey ? { cipher: aesGcmCipher(start.secretKey, 'safeStorage') } : {}),
      ...(start.holder ? { holder: start.holder } : {}),
      ...(start.backoffBaseMs !== null ? { backoffBaseMs: start.backoffBaseMs } : {}),
      embeddedSandbox: start.embeddedSandbox,
    });
  } catch (e) {
    post({ t: 'start-failed', message: storageMessage(e) ?? (e instanceof Error ? e.message : String(e)) });
    port?.close();
    return;
  }
  boothConsole = createConsole(services, {
    files,
    ...(start.autoLockMs !== null ? { autoLockMs: start.autoLockMs } : {}),
  });
  boothConsole.subscribe((event) => postJson({ t: 'event', type: event.type }, event));
  sweepExports(start.dataDir);
  const sweepTimer = setInterval(() => sweepExports(start.dataDir), 6 * 3600 * 1000);
  sweepTimer.unref();
  post({
    t: 'ready',
    info: {
      dataDir: services.dataDir,
      sandboxUrl: services.sandbox?.url ?? null,
      startupWarning: services.startupWarning,
    },
  });
}

async function close(): Promise<void> {
  // A close asked while the services are still opening (a restart, then the app quits) waits for them, then closes
  // them in order: nothing is left open in a thread whose port is gone.
  await opening;
  const s = services;
  const c = boothConsole;
  boothConsole = null;
  services = null;
  await runSteps([
    ['console', () => c?.close()],
    ['services', () => s?.close()],
  ]);
  post({ t: 'closed' });
  port?.close();
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'call': {
      const c = boothConsole;
      if (!c) {
        postJson({ t: 'result', id: m.id }, closingReply);
        return;
      }
      c.call(m.method, m.input).then(
        (result) => postJson({ t: 'result', id: m.id }, result),
        (e: unknown) => {
          // call() answers errors as values; this is a bug in it, logged and answered so the page is not left waiting.
          logError(`backend.${m.method}`, e);
          postJson({ t: 'result', id: m.id }, internalError);
        },
      );
      return;
    }
    case 'file': {
      const wait = fileWaits.get(m.id);
      fileWaits.delete(m.id);
      if (!wait) return;
      if (m.ok) wait.resolve({ name: m.name, bytes: m.bytes });
      else wait.reject(new ConsoleError('not-found', m.message));
      return;
    }
    case 'close':
      void close();
      return;
    case 'crash-for-test':
      if (start.testHooks) {
        setImmediate(() => {
          throw new Error('测试: 后台线程崩溃');
        });
      }
      return;
  }
});

const opening = open();
await opening;
