/**
 * The outbox of a data folder, opened for the CLI: the console's own database and settings, but no
 * embedded sandbox and no worker unless the command starts it. Where records go comes from the
 * command's flags, or else from the settings in the folder.
 */
import { existsSync, statSync } from 'node:fs';
import { createPlatformClient } from '../platform/client.ts';
import type { PlatformTarget } from '../platform/target.ts';
import { openDb, type Db } from '../queue/db.ts';
import { DEFAULT_BACKOFF_BASE_MS } from '../queue/pacing.ts';
import { createQueue, type QueueConfig } from '../queue/queue.ts';
import type { Queue } from '../queue/types.ts';
import { checkDatabaseMarker, markOnFirstRecord } from '../services/db-marker.ts';
import { nodeSettingsStore } from '../services/open.ts';
import { runSteps } from '../services/shutdown.ts';
import { keyFileCipher } from '../settings/secret-cipher.ts';
import { createSettingsService, type SettingsService } from '../settings/settings-service.ts';
import { CliError } from './args.ts';
import { targetFromFlags } from './commands/push.ts';

/** Flags that name a platform, as `push` takes them. */
export const TARGET_FLAGS = ['base-url', 'park-uuid', 'secret', 'app-id', 'api-type', 'mode'] as const;

export interface CliQueueOptions {
  dataDir: string;
  /** Where to send; null: nowhere (enqueue, status, log). */
  target: PlatformTarget | null;
  targetProblem?: string | null;
  concurrency?: number;
  ratePerSecond?: number;
  timeoutMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export interface CliQueue {
  queue: Queue;
  settings: SettingsService;
  db: Db;
  close(): Promise<void>;
}

/** The data folder must exist unless the command may create it (enqueue). */
export function checkDataDir(command: string, dataDir: string, mayCreate: boolean): void {
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory()) throw new CliError(`${command}: --data-dir 不是目录: ${dataDir}`);
  } else if (!mayCreate) {
    throw new CliError(`${command}: 数据目录不存在: ${dataDir}`);
  }
}

export function openSettings(dataDir: string): SettingsService {
  // No embedded sandbox here: its address is unknown outside the console.
  return createSettingsService({
    store: nodeSettingsStore(dataDir),
    cipher: keyFileCipher(dataDir),
    sandboxUrl: () => null,
  });
}

/**
 * Where `drain` sends: the flags when any of --base-url/--park-uuid/--secret is given (then all three),
 * else the settings in the data folder. The built-in sandbox lives only inside a running console, so a
 * folder set to it needs flags: starting a throwaway sandbox here would mark records accepted that no
 * platform ever received.
 */
export function resolveTarget(
  command: string,
  values: Record<string, string>,
  switches: Set<string>,
  settings: SettingsService,
): PlatformTarget {
  const given = (['base-url', 'park-uuid', 'secret'] as const).filter((f) => values[f] !== undefined);
  if (given.length > 0) {
    const missing = (['base-url', 'park-uuid', 'secret'] as const).filter((f) => !values[f]);
    if (missing.length > 0)
      throw new CliError(
        `${command}: 指定平台时 --base-url、--park-uuid、--secret 须一起给出, 缺少 ${missing.map((m) => `--${m}`).join(' ')}`,
      );
    const target = targetFromFlags(command, values, switches);
    return { ...target, baseUrl: target.baseUrl.replace(/\/+$/, '') };
  }
  if (settings.isSandbox()) {
    throw new CliError(
      `${command}: 此数据目录的设置为内置沙箱, 内置沙箱只在控制台运行时存在; ` +
        '请用 --base-url --park-uuid --secret 指定平台 (例如先运行 npm run -s cli -- sandbox)',
    );
  }
  const { target, problem } = settings.target();
  if (!target)
    throw new CliError(
      `${command}: 此数据目录的设置不完整: ${problem ?? '未配置平台'}; 或用 --base-url --park-uuid --secret 指定平台`,
    );
  return target;
}

export function openCliQueue(
  options: CliQueueOptions,
  settings: SettingsService = openSettings(options.dataDir),
): CliQueue {
  const s = settings.get(); // before the database: a broken settings file stops here (SettingsFileError)
  const db = openDb(options.dataDir);
  // A folder that held records but lost its database: said on stderr (logger) and in the status.
  const store = nodeSettingsStore(options.dataDir);
  checkDatabaseMarker(store, db);
  const concurrency = options.concurrency ?? s.concurrency;
  const client = createPlatformClient({
    timeoutMs: options.timeoutMs ?? s.timeoutMs,
    maxSockets: Math.max(8, concurrency),
  });
  // One snapshot for the run: the `conf` store reads its file on every get, too slow for the worker's hot path.
  const snapshot: QueueConfig = {
    target: options.target,
    targetProblem: options.target ? null : (options.targetProblem ?? '未指定平台'),
    stationId: s.stationId,
    installId: settings.installId(),
    concurrency,
    ratePerSecond: options.ratePerSecond ?? s.ratePerSecond,
    stuckAfterAttempts: s.stuckAfterAttempts,
    backoffBaseMs: options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
    backoffCapMs: options.backoffCapMs ?? s.backoffCapMs,
    logRetentionDays: s.logRetentionDays,
  };
  const config = (): QueueConfig => snapshot;
  const queue = createQueue({
    db,
    client,
    config,
    runId: () => settings.nextRunId(),
    holder: `命令行 ${process.argv.slice(2, 3).join(' ') || 'cli'}`,
  });
  markOnFirstRecord(store, db, queue.subscribe);
  let closed = false;
  return {
    queue,
    settings,
    db,
    async close() {
      if (closed) return;
      closed = true;
      // Each step whatever fails before it (a read-only folder), each failure logged.
      await runSteps([
        ['queue', () => queue.stop(5000)],
        ['client', () => client.close()],
        ['db', () => db.close()],
      ]);
    },
  };
}
