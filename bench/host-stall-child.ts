/**
 * (f) The preview host's process as `npm start` runs it where Electron cannot: its own thread serves the page (HTTP and
 * the event stream, as Electron's main thread answers the window's IPC) and relays to the backend thread. This child
 * measures that thread's event loop only: the gap between two 5 ms timers, and monitorEventLoopDelay, per phase.
 * The parent (host-stall.ts) drives it over HTTP, as the page would, and names each phase on stdin; the child answers
 * each phase's figures as one JSON line on stdout.
 *
 * Setup (before the backend starts, not measured): the manager PIN, 100,000 push-log rows, and DRAIN_N releases waiting
 * behind a pause (sending at 100 a second is the drain phase).
 * Usage: node bench/host-stall-child.ts DATA_DIR DRAIN_N
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startBackend } from '../electron/backend/client.ts';
import { RENDERER_OUT } from '../electron/preview/build.ts';
import { startPreviewHost } from '../electron/preview/server.ts';
import { openDb } from '../electron/queue/db.ts';
import { createLogRepo } from '../electron/queue/log-repo.ts';
import { createFileRegistry } from '../electron/services/file-registry.ts';
import { openConsoleServices } from '../electron/services/open.ts';
import { logRow, mulberry32, plates, skewedPick, updateRecord } from './records.ts';

const [dataDir, drainArg] = process.argv.slice(2);
if (!dataDir || !drainArg) throw new Error('usage: host-stall-child.ts DATA_DIR DRAIN_N');
const LOG_ROWS = 100_000;
const PIN = '8642';

{
  const random = mulberry32(2026);
  const list = plates(5000, random);
  const s = await openConsoleServices({ dataDir, embeddedSandbox: false, startWorker: false });
  s.settings.update({ managerPin: PIN, ratePerSecond: 100, concurrency: 4 });
  s.queue.pause('基准测试', '先不发送: 排空阶段再发');
  for (let i = 0; i < Number(drainArg); i++) {
    s.queue.enqueue(
      'update',
      updateRecord(i, skewedPick(list, random), `ST01-F-20261126-${String(i).padStart(6, '0')}`),
    );
  }
  await s.close();
  const raw = openDb(dataDir);
  const log = createLogRepo(raw.sql);
  for (let i = 0; i < LOG_ROWS; i += 5000) {
    raw.tx(() => {
      for (let j = i; j < Math.min(LOG_ROWS, i + 5000); j++) log.insert(logRow(j, skewedPick(list, random), random));
    });
  }
  raw.close();
}

const files = createFileRegistry();
const backend = await startBackend({ dataDir, files, holder: '基准测试' });
const host = await startPreviewHost({
  console: backend,
  staticDir: RENDERER_OUT,
  files,
  exportPath: backend.exportPath,
});

/**
 * The longest gap between two 5 ms timers (wall time: what the window would feel), and the most CPU this thread used
 * within one gap (its own work; a long gap with little of it is the OS giving the thread no core, as on a loaded
 * 2-core machine).
 */
let maxGap = 0;
let maxBusy = 0;
let last = performance.now();
let cpu0 = process.threadCpuUsage();
const timer = setInterval(() => {
  const now = performance.now();
  const cpu = process.threadCpuUsage(cpu0);
  maxGap = Math.max(maxGap, now - last);
  maxBusy = Math.max(maxBusy, (cpu.user + cpu.system) / 1000);
  last = now;
  cpu0 = process.threadCpuUsage();
}, 5);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

process.stdout.write(`${JSON.stringify({ url: host.origin, token: host.token, pin: PIN })}\n`);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'start') {
    maxGap = 0;
    maxBusy = 0;
    last = performance.now();
    cpu0 = process.threadCpuUsage();
    loop.reset();
    process.stdout.write('{"started":true}\n');
  } else if (line === 'stop') {
    const figures = {
      maxStallMs: Math.round(maxGap * 10) / 10,
      maxBusyMs: Math.round(maxBusy * 10) / 10,
      loopDelayMaxMs: Math.round(loop.max / 1e5) / 10,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else if (line === 'quit') {
    break;
  }
}
clearInterval(timer);
await host.close();
await backend.close();
process.exit(0);
