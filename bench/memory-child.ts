/**
 * The main process's share of the memory figure, alone in its own process: opens the outbox of a data
 * folder (100,000 records waiting), starts the worker against a platform that answers 503, and samples
 * its own memory. Prints one JSON line. Usage: node bench/memory-child.ts DATA_DIR BASE_URL SECONDS RATE_PER_SECOND
 */
import { createPlatformClient } from '../electron/platform/client.ts';
import { openDb } from '../electron/queue/db.ts';
import { createQueue, type QueueConfig } from '../electron/queue/queue.ts';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../electron/sandbox/server.ts';
import { DEFAULT_SETTINGS } from '../shared/contract/settings.ts';

const [dataDir, baseUrl, seconds, rate] = process.argv.slice(2);
if (!dataDir || !baseUrl || !seconds || !rate)
  throw new Error('usage: memory-child.ts DATA_DIR BASE_URL SECONDS RATE_PER_SECOND');

const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
const samples: { t: number; rss: number; heap: number }[] = [];
const t0 = performance.now();
const sample = () => {
  const m = process.memoryUsage();
  samples.push({ t: Math.round(performance.now() - t0), rss: mb(m.rss), heap: mb(m.heapUsed) });
};
sample();

const db = openDb(dataDir);
const client = createPlatformClient({ timeoutMs: DEFAULT_SETTINGS.timeoutMs });
const config: QueueConfig = {
  target: { baseUrl, parkUuid: SANDBOX_DEFAULT_PARK, appSecret: SANDBOX_DEFAULT_SECRET, mode: 'integration' },
  targetProblem: null,
  stationId: 'ST01',
  installId: 'BENCH0',
  concurrency: DEFAULT_SETTINGS.concurrency,
  ratePerSecond: Number(rate),
  stuckAfterAttempts: DEFAULT_SETTINGS.stuckAfterAttempts,
  backoffBaseMs: 1000,
  backoffCapMs: DEFAULT_SETTINGS.backoffCapMs,
  logRetentionDays: DEFAULT_SETTINGS.logRetentionDays,
};
const queue = createQueue({ db, client, config: () => config });
let attempts = 0;
let events = 0;
queue.subscribe((e) => {
  events++;
  if (e.type === 'log') attempts++;
});
// What stays reachable, measured by collecting first (run with --expose-gc): at 1 s and at the end only,
// so that the RSS samples show the process as it runs, not as a test harness keeps it.
const gc = (globalThis as { gc?: () => void }).gc;
const retained = () => {
  gc?.();
  return mb(process.memoryUsage().heapUsed);
};
queue.start();
const timer = setInterval(sample, 250);
await new Promise((r) => setTimeout(r, 1000));
const retainedAt1s = retained();
await new Promise((r) => setTimeout(r, Number(seconds) * 1000 - 1000));
clearInterval(timer);
sample();
const retainedAtEnd = retained();
const status = queue.status();
await queue.stop(2000);
client.close();
db.close();
const summary = { samples, attempts, events, waiting: status.counts.waiting, retainedAt1s, retainedAtEnd, gc: !!gc };
process.stdout.write(`${JSON.stringify(summary)}\n`);
