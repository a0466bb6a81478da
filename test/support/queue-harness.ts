/** A queue on a fresh data folder, sending to the test's sandbox, with settings a test can change. */
import { createPlatformClient } from '../../electron/platform/client.ts';
import type { PlatformTarget } from '../../electron/platform/target.ts';
import { openDb, type Db } from '../../electron/queue/db.ts';
import { createQueue, type QueueConfig } from '../../electron/queue/queue.ts';
import type { Queue } from '../../electron/queue/types.ts';
import type { QueueEvent } from '../../shared/contract/queue.ts';
import { randomId } from '../../electron/queue/keys.ts';
import { tempDir } from './sandbox.ts';

export interface Harness {
  queue: Queue;
  db: Db;
  dir: string;
  config: QueueConfig;
  events: QueueEvent[];
  close(): Promise<void>;
}

export function openHarness(target: PlatformTarget, over: Partial<QueueConfig> = {}, dir = tempDir('queue')): Harness {
  const db = openDb(dir);
  const client = createPlatformClient({ timeoutMs: 400 });
  const config: QueueConfig = {
    target,
    targetProblem: null,
    stationId: 'T1',
    installId: randomId(8),
    concurrency: 2,
    ratePerSecond: 1000,
    stuckAfterAttempts: 3,
    backoffBaseMs: 20,
    backoffCapMs: 200,
    logRetentionDays: 180,
    ...over,
  };
  const queue = createQueue({ db, client, config: () => config });
  const events: QueueEvent[] = [];
  queue.subscribe((e) => events.push(e));
  return {
    queue,
    db,
    dir,
    config,
    events,
    async close() {
      await queue.stop(2000);
      client.close();
      db.close();
    },
  };
}

export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
