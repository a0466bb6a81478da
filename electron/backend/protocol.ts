/**
 * The messages between a host's thread and the backend worker (electron/backend/worker.ts). Plain data only: every
 * value crosses by structured clone (file bytes are transferred, not copied).
 */
import type { ConsoleEvent } from '../../shared/contract/api.ts';
import type { LogLevel } from '../services/logger.ts';
import type { BackendInfo } from './types.ts';

/** What the worker is started with (workerData). */
export interface WorkerStart {
  dataDir: string;
  secretKey: Uint8Array | null;
  sandboxPort: number;
  holder: string | null;
  backoffBaseMs: number | null;
  embeddedSandbox: boolean;
  autoLockMs: number | null;
  testHooks: boolean;
}

export type ToWorker =
  | { t: 'call'; id: number; method: string; input: unknown }
  | { t: 'file'; id: number; ok: true; name: string; bytes: Uint8Array }
  | { t: 'file'; id: number; ok: false; message: string }
  | { t: 'close' }
  | { t: 'crash-for-test' };

export type FromWorker =
  | { t: 'ready'; info: BackendInfo }
  /** The start failed (a settings file that does not read, another process sending from the folder): said in words. */
  | { t: 'start-failed'; message: string }
  /**
   * A reply as UTF-8 JSON, serialised and encoded in the backend thread and transferred (not copied): the host passes
   * the bytes on as they are (the preview host's HTTP body, Electron's IPC reply that the preload decodes), so a
   * 20,000-row import preview costs the host's thread neither a structured clone, a parse, a stringify nor an encoding.
   */
  | { t: 'result'; id: number; json: Uint8Array }
  /** An event as UTF-8 JSON (a renewal batch's record holds its 500 rows): relayed as bytes, parsed only if needed. */
  | { t: 'event'; type: ConsoleEvent['type']; json: Uint8Array }
  | { t: 'log'; line: string; level: LogLevel }
  /** A secret the backend learnt (set or decrypted): the host's logger masks it too (its own lines may quote it). */
  | { t: 'secret'; value: string }
  /** The bytes of a file the page picked, asked of the host (which holds the registry). */
  | { t: 'file'; id: number; handle: string }
  | { t: 'closed' };
