/**
 * Everything the console's main process runs, wired together without Electron: the database, the
 * settings, the platform client, the outbox and its worker, and the embedded sandbox platform.
 * The Electron host, the preview host and the CLI all start from here.
 */
import Conf from 'conf';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import { createPlatformClient, type PlatformClient } from '../platform/client.ts';
import { openDb } from '../queue/db.ts';
import { DEFAULT_BACKOFF_BASE_MS } from '../queue/pacing.ts';
import { createQueue, type QueueConfig } from '../queue/queue.ts';
import type { Queue } from '../queue/types.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { keyFileCipher, type SecretCipher } from '../settings/secret-cipher.ts';
import { createSettingsService, type KeyValueStore, type SettingsService } from '../settings/settings-service.ts';

export type { SettingsService } from '../settings/settings-service.ts';

export interface ConsoleServices {
  dataDir: string;
  settings: SettingsService;
  queue: Queue;
  /** The embedded sandbox platform (always running; the default target). */
  sandbox: Sandbox | null;
  nextFlowNo(): string;
  close(): Promise<void>;
}

export interface OpenOptions {
  dataDir: string;
  sandboxPort?: number;
  /** electron-store in Electron; `conf` in the data folder otherwise. */
  store?: KeyValueStore;
  /** safeStorage in Electron; a key file in the data folder otherwise. */
  cipher?: SecretCipher;
  /** Start the worker (default true). */
  startWorker?: boolean;
  /** Who sends from this folder, for the message another process gets (default 岗亭控制台). */
  holder?: string;
  /** Tests: faster retries. */
  backoffBaseMs?: number;
  /** Tests: no embedded sandbox. */
  embeddedSandbox?: boolean;
}

export function nodeSettingsStore(dataDir: string): KeyValueStore {
  return new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', configFileMode: 0o600 }) as unknown as KeyValueStore;
}

/** What the worker runs by, read from the settings on each call (from memory: the worker asks on every pass). */
export function queueConfigFrom(settings: SettingsService, backoffBaseMs = DEFAULT_BACKOFF_BASE_MS): () => QueueConfig {
  return () => {
    const s = settings.values();
    const { target, problem } = settings.target();
    return {
      target,
      targetProblem: problem,
      stationId: s.stationId,
      concurrency: s.concurrency,
      ratePerSecond: s.ratePerSecond,
      stuckAfterAttempts: s.stuckAfterAttempts,
      backoffBaseMs,
      backoffCapMs: s.backoffCapMs,
      logRetentionDays: s.logRetentionDays,
    };
  };
}

export async function openConsoleServices(options: OpenOptions): Promise<ConsoleServices> {
  const { dataDir } = options;
  const sandbox = options.embeddedSandbox === false ? null : await startSandbox({ port: options.sandboxPort ?? 0 });
  const settings = createSettingsService({
    store: options.store ?? nodeSettingsStore(dataDir),
    cipher: options.cipher ?? keyFileCipher(dataDir),
    sandboxUrl: () => sandbox?.url ?? null,
  });
  const db = openDb(dataDir);

  let timeoutMs = settings.get().timeoutMs;
  let client: PlatformClient = createPlatformClient({ timeoutMs });
  // The queue holds this wrapper, so a new timeout takes effect without restarting anything.
  const clientHandle: PlatformClient = {
    send: (req, opts) => client.send(req, opts),
    close: () => client.close(),
  };

  const config = queueConfigFrom(settings, options.backoffBaseMs);
  const queue = createQueue({ db, client: clientHandle, config, holder: options.holder ?? '岗亭控制台' });

  const unsubscribe = settings.onChange((keys) => {
    if (keys.includes('timeoutMs') && settings.get().timeoutMs !== timeoutMs) {
      const old = client;
      timeoutMs = settings.get().timeoutMs;
      client = createPlatformClient({ timeoutMs });
      setTimeout(() => old.close(), timeoutMs + 1000).unref();
    }
    queue.credentialsChanged();
  });

  const pruneTimer = setInterval(() => queue.prune(), 6 * 3600 * 1000);
  pruneTimer.unref();
  async function close(): Promise<void> {
    clearInterval(pruneTimer);
    unsubscribe();
    await queue.stop(5000);
    clientHandle.close();
    db.close();
    await sandbox?.close();
  }
  if (options.startWorker !== false) {
    try {
      queue.start();
    } catch (e) {
      // Another console or a CLI drain sends from this folder: open nothing, say so.
      await close();
      throw e;
    }
  }

  return { dataDir, settings, queue, sandbox, nextFlowNo: () => queue.mintKey('update' satisfies Endpoint), close };
}
