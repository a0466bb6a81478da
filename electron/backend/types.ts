/**
 * The console's backend as a host sees it: the contract's handlers, the outbox and its worker, the settings and the
 * embedded sandbox, running in a worker thread of the host's process (electron/backend/worker.ts), so that no SQLite
 * transaction, import, export or drain ever holds the thread that answers the window (Electron's main thread, the
 * preview host's HTTP server). Both hosts start it the same way (startBackend in client.ts).
 */
import type { ApiResult, ConsoleEvent } from '../../shared/contract/api.ts';
import type { HostNotice } from '../../shared/contract/host.ts';
import type { FileRegistry } from '../services/file-registry.ts';

export interface BackendOptions {
  dataDir: string;
  /**
   * Electron: the 32-byte key that encrypts the app secret, itself kept encrypted with safeStorage (DPAPI on Windows)
   * by the host (Signal Desktop keeps its database key the same way). Absent or null: the OS offers no encryption and
   * the backend keeps its own key file in the data folder (the settings screen says so and asks first).
   */
  secretKey?: Uint8Array | null;
  /** 0 or absent: a free port. */
  sandboxPort?: number;
  /** The files the page picked (host side): the backend reads them through the host. */
  files: FileRegistry;
  /** Who sends from this folder, for the message another process gets. */
  holder?: string;
  /** Tests: faster retries. */
  backoffBaseMs?: number;
  /** Tests: no embedded sandbox. */
  embeddedSandbox?: boolean;
  /** Tests: the manager's idle lock. */
  autoLockMs?: number;
  /** Tests: the thread honours crashForTest (an uncaught error in it, as a bug would throw). */
  testHooks?: boolean;
  /** Tests: the waits before each restart in a row (default 0.2, 1, 3, 10 and 30 s; then it gives up). */
  restartDelaysMs?: number[];
}

export interface BackendInfo {
  dataDir: string;
  sandboxUrl: string | null;
  startupWarning: string | null;
}

export interface Backend {
  /** One contract call (validated in the backend); never rejects: a backend restarting answers `unavailable`. */
  call(method: string, input: unknown): Promise<ApiResult<unknown>>;
  /**
   * The same call, its reply as the UTF-8 JSON the backend thread made: what a host hands to its page untouched (the
   * HTTP body; Electron's IPC reply, decoded by the preload), so that a large reply never costs the host's thread more
   * than passing a buffer on.
   */
  callJson(method: string, input: unknown): Promise<Uint8Array>;
  /** Every console event (queue, session, settings, import progress) and the host's own notices, parsed. */
  subscribe(listener: (event: ConsoleEvent) => void): () => void;
  /**
   * The same events as the UTF-8 JSON the backend thread made, with their type: what a host relays to its page (the
   * event stream, Electron's IPC) without parsing a renewal batch's 500 rows on its own thread. A host that needs a
   * few kinds (the tray: status) parses only those (parseJson).
   */
  subscribeJson(listener: (json: Uint8Array, type: ConsoleEvent['type']) => void): () => void;
  info(): BackendInfo;
  /** The host's notices, newest last (the status bar shows them; a reloaded page asks again with hostNotices). */
  notices(): HostNotice[];
  /** Says something the host did (a renderer reloaded): kept in notices() and sent as a `host` event. */
  notify(kind: HostNotice['kind'], message: string): HostNotice;
  /** The file behind an export handle (`<data>/exports/<handle>`), or null when the handle is not one. */
  exportPath(handle: string): string | null;
  /** Tests (started with testHooks): an uncaught error thrown inside the backend thread. */
  crashForTest(): void;
  /** Ends the backend: the worker's requests in flight finish (bounded), the database closes. */
  close(): Promise<void>;
}
