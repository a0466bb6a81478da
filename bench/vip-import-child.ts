/**
 * (e) A 20,000-row renewal spreadsheet read, checked and queued, alone in its own process as the host process does
 * it: through the import's one entry (electron/import/vip-import.ts), into a fresh outbox. Samples RSS and the
 * event loop's longest stall (the gap between two 5 ms timers, and monitorEventLoopDelay) while it works.
 * Prints one JSON line. Usage: node bench/vip-import-child.ts FILE DATA_DIR
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createPlatformClient } from '../electron/platform/client.ts';
import { checkVipFile, commitVipImport } from '../electron/import/vip-import.ts';
import { openDb } from '../electron/queue/db.ts';
import { createQueue, type QueueConfig } from '../electron/queue/queue.ts';
import { DEFAULT_SETTINGS } from '../shared/contract/settings.ts';

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) throw new Error('usage: vip-import-child.ts FILE DATA_DIR');

const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
const db = openDb(dataDir);
const client = createPlatformClient({ timeoutMs: DEFAULT_SETTINGS.timeoutMs });
const config: QueueConfig = {
  target: null,
  targetProblem: '基准测试: 只导入, 不发送',
  stationId: 'ST01',
  installId: 'BENCH0',
  concurrency: 2,
  ratePerSecond: 10,
  stuckAfterAttempts: 10,
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
  logRetentionDays: 180,
};
const queue = createQueue({ db, client, config: () => config });

let maxRss = process.memoryUsage().rss;
let maxGap = 0;
let last = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
}, 5);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
await new Promise((r) => setTimeout(r, 50));

const bytes = readFileSync(file);
const t0 = performance.now();
const phases: Record<string, number> = {};
const checked = await checkVipFile(
  queue,
  { name: file, bytes },
  {
    zone: DEFAULT_SETTINGS.timeZone,
    onProgress: (phase) => {
      phases[phase] ??= Math.round(performance.now() - t0);
    },
  },
);
const tChecked = performance.now();
const result = await commitVipImport(queue, checked, { batchSize: DEFAULT_SETTINGS.vipBatchSize, actor: 'bench' });
const tQueued = performance.now();
await new Promise((r) => setTimeout(r, 20));
clearInterval(timer);
loop.disable();

process.stdout.write(
  `${JSON.stringify({
    rows: checked.preview.rows,
    good: checked.preview.good,
    bad: checked.preview.badRows,
    queued: result.queued,
    batches: result.batches.length,
    readCheckMs: Math.round(tChecked - t0),
    queueMs: Math.round(tQueued - tChecked),
    totalMs: Math.round(tQueued - t0),
    firstProgressMs: phases,
    maxRssMb: mb(maxRss),
    maxStallMs: Math.round(maxGap),
    loopDelayMaxMs: Math.round(loop.max / 1e6),
    loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
  })}\n`,
);
await queue.stop(1000);
await client.close();
db.close();
