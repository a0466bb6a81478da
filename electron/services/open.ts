/**
 * Everything the console's main process runs, wired together without Electron: the database, the
 * settings, the platform client, the outbox and its worker, and the embedded sandbox platform.
 * The Electron host, the preview host and the CLI all start from here.
 */
import { join } from 'node:path';
import Conf from 'conf';
import { createPlatformClient, type PlatformClient } from '../platform/client.ts';
import { openDb, type Db } from '../queue/db.ts';
import { DEFAULT_BACKOFF_BASE_MS } from '../queue/pacing.ts';
import { createQueue, type QueueConfig } from '../queue/queue.ts';
import { readingSettingsFile, settingsFileDeserializer } from '../queue/storage-errors.ts';
import type { Queue } from '../queue/types.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { keyFileCipher, type SecretCipher } from '../settings/secret-cipher.ts';
import { createSettingsService, type KeyValueStore, type SettingsService } from '../settings/settings-service.ts';
import { createExitLookup, type ExitLookup } from '../console/exit-lookup.ts';
import { referencedImages, type SweepResult, sweepImages } from '../images/retention.ts';
import { checkDatabaseMarker, markOnFirstRecord } from './db-marker.ts';
import { logError } from './logger.ts';
import { runSteps } from './shutdown.ts';

export type { SettingsService } from '../settings/settings-service.ts';

export interface ConsoleServices {
  dataDir: string;
  settings: SettingsService;
  queue: Queue;
  /** The embedded sandbox platform (always running; the default target). */
  sandbox: Sandbox | null;
  /** Said once at start: this folder held records but its database was missing (also in the queue's status.storage). */
  startupWarning: string | null;
  /** The outbox's records of a parking_serial (离场补推). */
  exits: ExitLookup;
  /** Deletes the copied photos no record refers to (see images/retention.ts); null when it failed (logged). */
  sweepImages(now?: number): SweepResult | null;
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

/**
 * `conf` in the data folder. It reads the file at every get: a file that does not parse (now or later)
 * is a SettingsFileError naming it, never a bare JSON error, and never silently replaced.
 */
export function nodeSettingsStore(dataDir: string): KeyValueStore {
  const path = join(dataDir, 'settings.json');
  const conf = readingSettingsFile(path, () => {
    const c = new Conf<Record<string, unknown>>({
      cwd: dataDir,
      configName: 'settings',
      configFileMode: 0o600,
      deserialize: settingsFileDeserializer(path), // a BOM is read past; `[]`, `null` etc. are refused
    });
    c.get('settings'); // read now: a broken file stops the start here
    return c;
  });
  return {
    path,
    get: (key) => readingSettingsFile(path, () => conf.get(key)),
    set: (key, value) => readingSettingsFile(path, () => conf.set(key, value)),
    delete: (key) => readingSettingsFile(path, () => conf.delete(key)),
  };
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
      installId: settings.installId(),
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
  // Settings and database first, the sandbox last: a broken settings file or an unusable folder stops
  // the start with nothing listening (a listening sandbox would keep the process alive).
  const store = options.store ?? nodeSettingsStore(dataDir);
  let sandbox: Sandbox | null = null;
  const settings = createSettingsService({
    store,
    cipher: options.cipher ?? keyFileCipher(dataDir),
    sandboxUrl: () => sandbox?.url ?? null,
  });
  settings.values(); // read now (a SettingsFileError here, not later in the worker)
  const db = openDb(dataDir);
  let startupWarning: string | null;
  try {
    startupWarning = checkDatabaseMarker(store, db);
    if (options.embeddedSandbox !== false) sandbox = await startSandbox({ port: options.sandboxPort ?? 0 });
  } catch (e) {
    closeDb(db);
    throw e;
  }

  let timeoutMs = settings.get().timeoutMs;
  let client: PlatformClient = createPlatformClient({ timeoutMs });
  // The queue holds this wrapper, so a new timeout takes effect without restarting anything.
  const clientHandle: PlatformClient = {
    send: (req, opts) => client.send(req, opts),
    close: () => client.close(),
  };

  const config = queueConfigFrom(settings, options.backoffBaseMs);
  const queue = createQueue({
    db,
    client: clientHandle,
    config,
    runId: () => settings.nextRunId(),
    holder: options.holder ?? '岗亭控制台',
  });
  markOnFirstRecord(store, db, queue.subscribe);

  const unsubscribe = settings.onChange((keys) => {
    if (keys.includes('timeoutMs') && settings.get().timeoutMs !== timeoutMs) {
      const old = client;
      timeoutMs = settings.get().timeoutMs;
      client = createPlatformClient({ timeoutMs });
      setTimeout(() => old.close(), timeoutMs + 1000).unref();
    }
    queue.credentialsChanged();
  });

  function sweep(now?: number): SweepResult | null {
    try {
      return sweepImages(dataDir, referencedImages(db.sql), now);
    } catch (e) {
      // A photo not deleted now is deleted by a later sweep; nothing a record needs is touched by a failure.
      logError('images.sweep', e);
      return null;
    }
  }

  /** The queue's retention; a failed prune keeps rows (and so their photos) longer, and the next run tries again. */
  function prune(): void {
    try {
      queue.prune();
    } catch (e) {
      logError('queue.prune', e);
    }
  }

  const pruneTimer = setInterval(prune, 6 * 3600 * 1000);
  pruneTimer.unref();
  // Photos go after the records that used them: the queue's retention first, then the sweep.
  const imagesTimer = setInterval(
    () => {
      prune();
      sweep();
    },
    24 * 3600 * 1000,
  );
  imagesTimer.unref();
  /** Every step runs even if one fails (e.g. a read-only folder: the lock's release throws); failures are logged. */
  async function close(): Promise<void> {
    clearInterval(pruneTimer);
    clearInterval(imagesTimer);
    unsubscribe();
    await runSteps([
      ['queue', () => queue.stop(5000)],
      ['client', () => clientHandle.close()],
      ['db', () => closeDb(db)],
      ['sandbox', () => sandbox?.close()],
    ]);
  }
  if (options.startWorker !== false) {
    try {
      queue.start();
    } catch (e) {
      // Another console or a CLI drain sends from this folder: open nothing, say so.
      await close();
      throw e;
    }
    sweep(); // after start's retention prune
  }

  return {
    dataDir,
    settings,
    queue,
    sandbox,
    startupWarning,
    exits: createExitLookup(db.sql),
    sweepImages: sweep,
    close,
  };
}

function closeDb(db: Db): void {
  try {
    db.close();
  } catch (e) {
    // Every commit was already on disk (or failed and was reported): closing loses nothing.
    logError('db.close', e);
  }
}
