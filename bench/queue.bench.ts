/**
 * `npm run bench`: the outbox's four figures in one run, each with its target.
 *  (a) durable enqueue rate (each enqueue its own FULL-sync commit)
 *  (b) drain rate through the queue next to a bare loop of the same client, same concurrency, same
 *      records, against the sandbox running in a separate process (so neither side shares its CPU
 *      time with the platform); after a warm-up of each, ABBA order, best (and median) of four each
 *  (c) push-log query time for one plate, or a part of one (B12345 for 粤B12345), over 100,000 rows
 *  (d) main-process memory while 100,000 records wait and the platform answers 503, in a process of its
 *      own, at the settings' default rate and at their highest; "flat" is judged on the heap that stays
 *      reachable (collected at 1 s and at the end), RSS on its highest sample
 *  (e) a 20,000-row renewal .xlsx read, checked and queued by the import, in a process of its own: time, peak RSS
 *      and the event loop's longest stall while it works
 * Also, for the lead: (a′) enqueue behind a 100,000-record backlog, (b′) the queue wired as
 * openConsoleServices wires it, (b″) a 20,000-record backlog, all due at once. Exit code 0 whatever the figures: this
 * prints, it does not gate.
 *  (f) the longest event-loop stall of the thread that answers the window (the preview host's process, which relays
 *      to the backend thread as Electron's main thread does) during a 20,000-row import, a 100,000-row export and a
 *      drain at 100 records a second (bench/host-stall.ts)
 * `npm run bench -- drain` runs (a) and (b) only; `log` runs (c); `memory` runs (a′) and (d); `vip` runs (e); `host`
 * runs (f).
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { build } from 'vite';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseRecord } from '../shared/platform/endpoints.ts';
import { createPlatformClient, type PlatformClient } from '../electron/platform/client.ts';
import { prepareRequest } from '../electron/platform/prepare.ts';
import type { PlatformTarget } from '../electron/platform/target.ts';
import { openDb } from '../electron/queue/db.ts';
import { createLogRepo } from '../electron/queue/log-repo.ts';
import { createQueue, type QueueConfig } from '../electron/queue/queue.ts';
import { createRecordsRepo } from '../electron/queue/records-repo.ts';
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../electron/sandbox/server.ts';
import { nodeSettingsStore, queueConfigFrom } from '../electron/services/open.ts';
import { keyFileCipher } from '../electron/settings/secret-cipher.ts';
import { createSettingsService } from '../electron/settings/settings-service.ts';
import { DEFAULT_SETTINGS } from '../shared/contract/settings.ts';
import { leaveRecord, logRow, mulberry32, plates, skewedPick, updateRecord } from './records.ts';
import { hostStall } from './host-stall.ts';
import { vipImport } from './vip-import.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DRAIN_N = 2000;
const ROUNDS = 4;
/**
 * Records each side sends first, unmeasured, so both are measured with the JIT warm (it keeps improving for thousands
 * of requests).
 */
const WARM_N = 4000;
const CONCURRENCY = 2;
const BACKLOG_N = 20_000;
const LOG_ROWS = 100_000;
const WAITING = 100_000;
const MEMORY_SECONDS = 15;

const work = mkdtempSync(join(tmpdir(), 'queue-bench-'));
const random = mulberry32(20261125);
const plateList = plates(8000, random);
const results: { name: string; figure: string; target: string; verdict: 'PASS' | 'FAIL' | 'INFO' }[] = [];
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const progress = (s: string) => process.stderr.write(`… ${s}\n`);

/** The sandbox platform in its own Node process (the CLI's `sandbox` command). */
async function startSandboxProcess() {
  const token = randomBytes(18).toString('base64url');
  const child = spawn(
    process.execPath,
    [join(ROOT, 'electron/cli/main.ts'), 'sandbox', '--port', '0', '--token', token],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const line = buf.split('\n')[0];
      if (buf.includes('\n') && line) res(line.trim());
    });
    child.once('exit', () => rej(new Error('sandbox exited')));
  });
  // A fresh connection per admin call: no keep-alive race with the server's idle timeout.
  const admin = (path: string, body?: unknown) =>
    new Promise<Record<string, unknown>>((res, rej) => {
      const req = http.request(
        `${url}/__sandbox/${path}`,
        {
          method: body === undefined ? 'GET' : 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', 'x-sandbox-token': token },
        },
        (r) => {
          let text = '';
          r.setEncoding('utf8').on('data', (d: string) => (text += d));
          r.on('end', () => res(JSON.parse(text) as Record<string, unknown>));
        },
      );
      req.on('error', rej);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  return {
    url,
    reset: () => admin('reset', {}),
    faults: (rules: unknown[]) => admin('faults', { rules }),
    accepted: async () => ((await admin('state')).accepted as { update: unknown[]; leave: unknown[] }).update.length,
    close: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}
type SandboxProcess = Awaited<ReturnType<typeof startSandboxProcess>>;

function queueConfig(target: PlatformTarget | null): QueueConfig {
  return {
    target,
    targetProblem: target ? null : '未指定平台',
    stationId: 'ST01',
    installId: 'BENCH0',
    concurrency: CONCURRENCY,
    ratePerSecond: 1_000_000, // the ceiling lifted: this measures the queue, not the pacing
    stuckAfterAttempts: DEFAULT_SETTINGS.stuckAfterAttempts,
    backoffBaseMs: 1000,
    backoffCapMs: DEFAULT_SETTINGS.backoffCapMs,
    logRetentionDays: DEFAULT_SETTINGS.logRetentionDays,
  };
}

function records(tag: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    updateRecord(i, skewedPick(plateList, random), `${tag}-${String(i).padStart(6, '0')}`),
  );
}

/** A data folder with `n` records enqueued one by one, each durably; returns the enqueue time. */
function filledOutbox(tag: string, n: number, target: PlatformTarget, config?: () => QueueConfig) {
  const db = openDb(join(work, tag));
  const client = createPlatformClient();
  const queue = createQueue({ db, client, config: config ?? (() => queueConfig(target)) });
  const t = performance.now();
  for (const r of records(tag, n)) queue.enqueue('update', r);
  const enqueueMs = performance.now() - t;
  return { db, client, queue, enqueueMs };
}

interface Run {
  rate: number;
  /** This process's CPU time (user + system) per record, ms. */
  cpuMs: number;
}

const cpuMsSince = (start: NodeJS.CpuUsage, n: number) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000 / n;
};

async function drainQueue(sandbox: SandboxProcess, box: ReturnType<typeof filledOutbox>, n: number): Promise<Run> {
  await sandbox.reset();
  const t = performance.now();
  const cpu = process.cpuUsage();
  box.queue.start();
  await box.queue.idle();
  const ms = performance.now() - t;
  const cpuMs = cpuMsSince(cpu, n);
  const s = box.queue.status();
  await box.queue.stop();
  box.client.close();
  box.db.close();
  if (s.counts.accepted !== n || (await sandbox.accepted()) !== n)
    throw new Error(`queue run: ${s.counts.accepted}/${n} accepted`);
  return { rate: rate(n, ms), cpuMs };
}

/** The same client, same concurrency, same kind of records: prepare, send, next. */
async function bareLoop(sandbox: SandboxProcess, tag: string, n: number, target: PlatformTarget): Promise<Run> {
  const list = records(tag, n).map((r) => parseRecord('update', r));
  await sandbox.reset();
  const client: PlatformClient = createPlatformClient();
  let next = 0;
  let accepted = 0;
  const t = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < list.length) {
        const record = list[next++]!;
        const o = await client.send(await prepareRequest('update', record, target));
        if (o.outcome === 'accepted') accepted++;
      }
    }),
  );
  const ms = performance.now() - t;
  const cpuMs = cpuMsSince(cpu, n);
  client.close();
  if (accepted !== n || (await sandbox.accepted()) !== n) throw new Error(`bare run: ${accepted}/${n} accepted`);
  return { rate: rate(n, ms), cpuMs };
}

/** openConsoleServices' own wiring (queueConfigFrom over a settings service), the rate ceiling lifted as in (b). */
function consoleStyleConfig(dir: string, target: PlatformTarget): () => QueueConfig {
  const settings = createSettingsService({
    store: nodeSettingsStore(dir),
    cipher: keyFileCipher(dir),
    sandboxUrl: () => null,
  });
  settings.update({
    platform: 'custom',
    customBaseUrl: target.baseUrl,
    parkUuid: target.parkUuid,
    appSecret: target.appSecret,
    concurrency: CONCURRENCY,
  });
  const wired = queueConfigFrom(settings);
  return () => ({ ...wired(), ratePerSecond: queueConfig(null).ratePerSecond });
}

async function enqueueAndDrain(sandbox: SandboxProcess): Promise<void> {
  const target: PlatformTarget = {
    baseUrl: sandbox.url,
    parkUuid: SANDBOX_DEFAULT_PARK,
    appSecret: SANDBOX_DEFAULT_SECRET,
    mode: 'integration',
  };
  progress(`(a) enqueueing ${ROUNDS * DRAIN_N + WARM_N} records, one FULL-sync commit each`);
  const warm = filledOutbox('warm', WARM_N, target);
  const boxes = Array.from({ length: ROUNDS }, (_, i) => filledOutbox(`q${i}`, DRAIN_N, target));
  const enqueueMs = boxes.reduce((s, b) => s + b.enqueueMs, 0);
  results.push({
    name: '(a) durable enqueue',
    figure:
      `${rate(ROUNDS * DRAIN_N, enqueueMs)} records/s ` +
      `(${ROUNDS * DRAIN_N} records, each its own FULL-sync commit)`,
    target: 'none set (info)',
    verdict: 'INFO',
  });

  progress(`(b) draining ${DRAIN_N} records, queue vs bare loop, concurrency ${CONCURRENCY}, ${ROUNDS} rounds each`);
  progress(`(b) warming up: ${WARM_N} records through each`);
  await bareLoop(sandbox, 'warm-bare', WARM_N, target);
  await drainQueue(sandbox, warm, WARM_N);
  // Interleaved (bare, queue, queue, bare, …): whatever else the machine does hits both alike.
  const bares: Run[] = [];
  const queues: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const runBare = async () => bares.push(await bareLoop(sandbox, `b${i}`, DRAIN_N, target));
    const runQueue = async () => queues.push(await drainQueue(sandbox, boxes[i]!, DRAIN_N));
    if (i % 2 === 0) {
      await runBare();
      await runQueue();
    } else {
      await runQueue();
      await runBare();
    }
  }
  const bare = Math.max(...bares.map((r) => r.rate));
  const queue = Math.max(...queues.map((r) => r.rate));
  const ratio = queue / bare;
  const median = (runs: Run[]) => {
    const xs = runs.map((r) => r.rate).sort((a, b) => a - b);
    return (xs[Math.floor((xs.length - 1) / 2)]! + xs[Math.ceil((xs.length - 1) / 2)]!) / 2;
  };
  const cpu = (runs: Run[]) => Math.min(...runs.map((r) => r.cpuMs)).toFixed(2);
  results.push({
    name: '(b) drain vs bare',
    figure:
      `queue ${queue} records/s (runs ${queues.map((r) => r.rate).join(', ')}), ` +
      `bare loop ${bare} records/s (runs ${bares.map((r) => r.rate).join(', ')}), ` +
      `best of each: ratio ${(ratio * 100).toFixed(0)}% ` +
      `(medians: ${((median(queues) / median(bares)) * 100).toFixed(0)}%); ` +
      `CPU per record: queue ${cpu(queues)} ms, bare ${cpu(bares)} ms`,
    target: '≥ 80% of bare',
    verdict: ratio >= 0.8 ? 'PASS' : 'FAIL',
  });

  const consoleBox = filledOutbox(
    'console',
    DRAIN_N,
    target,
    consoleStyleConfig(join(work, 'console-settings'), target),
  );
  const consoleRate = (await drainQueue(sandbox, consoleBox, DRAIN_N)).rate;
  results.push({
    name: '(b′) as the console wires it',
    figure:
      `${consoleRate} records/s = ${((consoleRate / bare) * 100).toFixed(0)}% of bare ` +
      `(config() built from the cached settings service on every call)`,
    target: 'info',
    verdict: 'INFO',
  });

  // After a weekend offline: a backlog that is all due at once must drain at the same pace, not slow
  // down with its size (reading "the oldest due" must not sort the whole backlog each time).
  progress(`(b″) draining a backlog of ${BACKLOG_N} records, all due at once`);
  const db = openDb(join(work, 'backlog'));
  const repo = createRecordsRepo(db.sql, () => DEFAULT_SETTINGS.stuckAfterAttempts);
  db.tx(() => {
    for (const r of records('backlog', BACKLOG_N)) {
      repo.insert({
        endpoint: 'update',
        key: String(r.flow_no),
        plate: String(r.plate),
        record: parseRecord('update', r),
        createdBy: null,
        dependsOn: null,
        now: Date.now(),
      });
    }
  });
  const client = createPlatformClient();
  const backlog = await drainQueue(
    sandbox,
    { db, client, queue: createQueue({ db, client, config: () => queueConfig(target) }), enqueueMs: 0 },
    BACKLOG_N,
  );
  results.push({
    name: '(b″) a backlog drained',
    figure:
      `${BACKLOG_N} records due at once: ${backlog.rate} records/s = ` +
      `${((backlog.rate / bare) * 100).toFixed(0)}% of bare`,
    target: 'info (before schema 3 every send sorted the whole due backlog: 25 ms per send at 100,000 due)',
    verdict: 'INFO',
  });
}

function logQuery(): void {
  progress(`(c) filling ${LOG_ROWS} push-log rows, then querying by plate`);
  const db = openDb(join(work, 'log'));
  const log = createLogRepo(db.sql);
  for (let i = 0; i < LOG_ROWS; i += 5000) {
    db.tx(() => {
      for (let j = i; j < Math.min(LOG_ROWS, i + 5000); j++)
        log.insert(logRow(j, skewedPick(plateList, random), random));
    });
  }
  const queue = createQueue({
    db,
    client: { send: () => Promise.reject(new Error('unused')), close: () => undefined },
    config: () => queueConfig(null),
  });
  const time = (q: Parameters<typeof queue.queryLog>[0]) => {
    const t = performance.now();
    queue.queryLog(q);
    return performance.now() - t;
  };
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
  for (let i = 0; i < 20; i++) time({ plate: plateList[i]! });
  // Half the plates seen often (a monthly car's hundreds of rows), half drawn evenly (mostly rare ones).
  const byPlate = sorted(
    Array.from({ length: 400 }, (_, i) =>
      time({ plate: i % 2 ? skewedPick(plateList, random) : plateList[Math.floor(random() * plateList.length)]! }),
    ),
  );
  const rows = queue.queryLog({ plate: plateList[0]!, limit: 1000 }).rows.length;
  const prefix = sorted(Array.from({ length: 40 }, (_, i) => time({ plate: plateList[i]!.slice(0, 2) })));
  // A part typed without the province (B12345 for 粤B12345), or only the digits (12345; rarer ones, 3 digits, match
  // hundreds of plates): the plates table (schema 5) picks the plates, then the plate index or the newest rows.
  const infix = sorted(
    Array.from({ length: 400 }, (_, i) => {
      const p = i % 2 ? skewedPick(plateList, random) : plateList[Math.floor(random() * plateList.length)]!;
      return time({ plate: i % 4 < 2 ? p.slice(1) : i % 4 === 2 ? p.slice(2) : p.slice(3, 6) });
    }),
  );
  db.close();
  const p95 = Math.max(pct(byPlate, 0.95), pct(infix, 0.95));
  results.push({
    name: '(c) log query by plate',
    figure:
      `median ${fmt(pct(byPlate, 0.5))}, p95 ${fmt(p95)}, max ${fmt(byPlate.at(-1)!)} over ${LOG_ROWS} rows, ` +
      `${plateList.length} plates, 400 queries (the busiest plate has ${rows}${rows === 1000 ? '+' : ''} rows); ` +
      `prefix (e.g. "粤B"): median ${fmt(pct(prefix, 0.5))}, p95 ${fmt(pct(prefix, 0.95))}; ` +
      `part of a plate (e.g. "B12345", "12345", "234"), 400 queries: median ${fmt(pct(infix, 0.5))}, ` +
      `p95 ${fmt(pct(infix, 0.95))}, max ${fmt(infix.at(-1)!)}`,
    target: 'p95 < 50 ms (whole plate and part of a plate)',
    verdict: p95 < 50 ? 'PASS' : 'FAIL',
  });
}

async function memory(sandbox: SandboxProcess): Promise<void> {
  progress(`(d) filling ${WAITING} waiting records; enqueue behind them`);
  const dir = join(work, 'memory');
  const db = openDb(dir);
  const repo = createRecordsRepo(db.sql, () => DEFAULT_SETTINGS.stuckAfterAttempts);
  const now = Date.now();
  // Filled in bulk through the queue's own schema (the per-record FULL-sync cost is figure (a)).
  for (let i = 0; i < WAITING; i += 5000) {
    db.tx(() => {
      for (let j = i; j < Math.min(WAITING, i + 5000); j++) {
        const key = `ST01-L-20261125-${String(j).padStart(6, '0')}`;
        const plate = skewedPick(plateList, random);
        repo.insert({
          endpoint: 'leave',
          key,
          plate,
          record: parseRecord('leave', leaveRecord(j, plate, key)),
          createdBy: '张三',
          dependsOn: null,
          now,
        });
      }
    });
  }
  // The same enqueue as (a), now with the backlog of a long outage in front of it.
  const queue = createQueue({
    db,
    client: { send: () => Promise.reject(new Error('unused')), close: () => undefined },
    config: () => queueConfig(null),
  });
  let t = performance.now();
  for (let i = 0; i < 5; i++) queue.status();
  const statusMs = (performance.now() - t) / 5;
  t = performance.now();
  for (let i = 0; i < 20; i++) queue.enqueue('leave', leaveRecord(WAITING + i, plateList[i]!, `BACKLOG-${i}`));
  const enqueueMs = (performance.now() - t) / 20;
  db.close();
  results.push({
    name: '(a′) durable enqueue, 100k waiting',
    figure:
      `${rate(1, enqueueMs)} records/s (${fmt(enqueueMs)} each; ` +
      `queue.status() alone takes ${fmt(statusMs)} and every enqueue computes it)`,
    target: 'none set (info)',
    verdict: 'INFO',
  });
  // Measured as the main process ships: bundled by the host's own build (electron/host/vite.config.ts), not
  // run from TypeScript, whose loader alone adds some 40 MB of RSS that no booth PC carries.
  const child = await bundledMemoryChild();
  await sandbox.faults([{ kind: 'error', httpStatus: 503, code: '503' }]);
  await memorySamples(child, dir, sandbox.url, DEFAULT_SETTINGS.ratePerSecond, "settings' default");
  await memorySamples(child, dir, sandbox.url, 100, "the settings' highest");
  await sandbox.faults([]);
}

async function bundledMemoryChild(): Promise<string> {
  const outDir = join(ROOT, 'dist/bench');
  await build({
    configFile: join(ROOT, 'electron/host/vite.config.ts'),
    mode: 'main',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      lib: { entry: join(ROOT, 'bench/memory-child.ts'), fileName: () => 'memory-child.js' },
    },
  });
  return join(outDir, 'memory-child.js');
}

async function memorySamples(
  child: string,
  dir: string,
  url: string,
  ratePerSecond: number,
  label: string,
): Promise<void> {
  progress(
    `(d) ${WAITING} records waiting, worker at ${ratePerSecond}/s, platform answering 503, ` +
      `sampling memory for ${MEMORY_SECONDS} s`,
  );
  const out = await new Promise<string>((res, rej) => {
    const p = spawn(process.execPath, ['--expose-gc', child, dir, url, String(MEMORY_SECONDS), String(ratePerSecond)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (buf += d));
    p.once('exit', (code) => (code === 0 ? res(buf) : rej(new Error(`memory child exited ${code}`))));
  });
  const m = JSON.parse(out) as {
    samples: { t: number; rss: number; heap: number }[];
    attempts: number;
    waiting: number;
    retainedAt1s: number;
    retainedAtEnd: number;
  };
  const rss = m.samples.map((s) => s.rss);
  const heap = m.samples.map((s) => s.heap);
  const settled = m.samples.filter((s) => s.t >= 1000);
  const rssGrowth = Math.max(...settled.map((s) => s.rss)) - (settled[0]?.rss ?? 0);
  const retainedGrowth = m.retainedAtEnd - m.retainedAt1s;
  const maxRss = Math.max(...rss);
  results.push({
    name: `(d) memory, 100k waiting, ${ratePerSecond}/s (${label} rate)`,
    figure:
      `bundled as shipped: RSS ${Math.min(...rss)}–${maxRss} MB, ` +
      `heap ${Math.min(...heap)}–${Math.max(...heap)} MB over ${MEMORY_SECONDS} s ` +
      `(${m.samples.length} samples, ${m.attempts} attempts answered 503, ${m.waiting} waiting); ` +
      `retained heap after GC ${m.retainedAt1s} → ${m.retainedAtEnd} MB; RSS rose ${rssGrowth.toFixed(1)} MB after 1 s`,
    target: 'flat (retained heap grows < 5 MB), RSS < 200 MB',
    verdict: maxRss < 200 && retainedGrowth < 5 ? 'PASS' : 'FAIL',
  });
}

// `npm run bench -- drain` (or log, memory) runs one part; no argument runs all three.
const parts = new Set(process.argv.slice(2));
const want = (part: 'drain' | 'log' | 'memory' | 'vip' | 'host') => parts.size === 0 || parts.has(part);
const started = performance.now();
const sandbox = await startSandboxProcess();
try {
  if (want('drain')) await enqueueAndDrain(sandbox);
  if (want('log')) logQuery();
  if (want('memory')) await memory(sandbox);
  if (want('vip')) results.push(await vipImport(work, progress));
  if (want('host')) results.push(...(await hostStall(work, progress)));
} finally {
  await sandbox.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `outbox benchmark: Node ${process.version}, ${availableParallelism()} CPUs, ` +
    `sandbox in a separate process, concurrency ${CONCURRENCY}`,
);
for (const r of results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
  console.log(`${r.verdict.padEnd(4)}  ${r.name}: ${r.figure}  [target: ${r.target}]`);
const failed = results.filter((r) => r.verdict === 'FAIL');
console.log(
  `${failed.length === 0 ? 'all targets met' : `${failed.length} target(s) missed`} ` +
    `in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
