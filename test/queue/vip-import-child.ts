/**
 * Child process of vip-import-process.test.ts: a VIP import into a data folder, as a command-line import beside a
 * running console would be. Args: dataDir rows pauseAt city. Prints JSON lines: {"paused": done} once `pauseAt` rows
 * are staged (then waits for a line on stdin), and {"results": n, "ids": […]} when the import is committed.
 */
import { createInterface } from 'node:readline';
import { createPlatformClient } from '../../electron/platform/client.ts';
import { openDb } from '../../electron/queue/db.ts';
import { createQueue } from '../../electron/queue/queue.ts';
import { importRows } from './vip-import-helpers.ts';

const [dataDir, rows, pauseAt, city] = process.argv.slice(2) as [string, string, string, string];
const db = openDb(dataDir);
const client = createPlatformClient({ timeoutMs: 400 });
const queue = createQueue({
  db,
  client,
  config: () => ({
    target: null,
    targetProblem: '导入子进程不发送',
    stationId: 'T9',
    installId: 'CHILD9AB',
    concurrency: 2,
    ratePerSecond: 10,
    stuckAfterAttempts: 3,
    backoffBaseMs: 20,
    backoffCapMs: 200,
    logRetentionDays: 180,
  }),
});
const input = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => input.once('line', () => resolve()));
let paused = false;
const results = await queue.importVipRows(importRows(Number(rows), { city }), {
  batchSize: 500,
  actor: '导入子进程',
  async onProgress(done) {
    if (paused || done < Number(pauseAt)) return;
    paused = true;
    process.stdout.write(`${JSON.stringify({ paused: done })}\n`);
    await go;
  },
});
process.stdout.write(`${JSON.stringify({ results: results.length, ids: results.map((r) => r.id) })}\n`);
input.close();
client.close();
db.close();
