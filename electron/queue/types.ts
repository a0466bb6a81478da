/** The outbox service as the rest of the main process uses it (hosts, CLI, tests). */
import type {
  AuditEntry,
  LogPage,
  LogQuery,
  QueueEvent,
  QueueStatus,
  QueuedRecord,
  RecordState,
} from '../../shared/contract/queue.ts';
import type { Endpoint } from '../../shared/platform/endpoints.ts';

export interface EnqueueOptions {
  /** Who typed it (the shift's operator), for the audit trail. */
  actor?: string;
  /** This record is sent only after that one is accepted. */
  dependsOn?: number;
}

export interface EnqueueResult {
  /** The record stored now, or the one that was there already (for a VIP batch: the one holding its first row). */
  id: number;
  key: string;
  /** Nothing was stored: the same record (for a VIP batch: every row) was queued before. */
  existing: boolean;
  /** VIP batches: the rows' keys in the order given (kept or minted), and how many were queued before. */
  rows?: string[];
  rowsAlready?: number;
}

export interface Queue {
  /**
   * Validates (RecordError naming every bad field), fixes the idempotency key (kept when the record
   * has one, generated when not), and commits durably before returning.
   */
  enqueue(endpoint: Endpoint, record: Record<string, unknown>, options?: EnqueueOptions): EnqueueResult;
  /**
   * A list (a file's records), in one commit: all of it is stored, or none (ListRecordError names the first bad one).
   */
  enqueueMany(
    endpoint: Endpoint,
    records: readonly Record<string, unknown>[],
    options?: EnqueueOptions,
  ): EnqueueResult[];
  /** A full VIP upload: batches of `batchSize`, complete=1 on the first only, each waiting for the one before. */
  enqueueVipFullUpload(
    rows: readonly Record<string, unknown>[],
    batchSize: number,
    options?: EnqueueOptions,
  ): EnqueueResult[];
  get(id: number): QueuedRecord | null;
  list(filter: { states?: RecordState[]; endpoint?: Endpoint; limit?: number }): QueuedRecord[];
  /** Edit (optional) and send again: same key, a new attempt. Audited. */
  resubmit(id: number, actor: string, record?: Record<string, unknown>): QueuedRecord;
  /** A person decided this record is not to be sent. Audited. */
  cancel(id: number, actor: string, reason: string): QueuedRecord;
  pause(actor: string, reason: string): void;
  resume(actor: string): void;
  /**
   * A person asks for the records waiting on a retry (one, or all) to be sent now instead of after their backoff.
   * Audited (as a resubmit with the reason 立即重试) when any was waiting; returns how many.
   */
  retryNow(actor: string, id?: number): number;
  /**
   * Settings changed (credentials, platform, address, timeout, rate...): an auth pause lifts at once, and every record
   * waiting on a retry is tried again now rather than after its backoff (the failure may have been the settings').
   */
  credentialsChanged(): void;
  status(): QueueStatus;
  queryLog(query: LogQuery): LogPage;
  audit(recordId?: number): AuditEntry[];
  subscribe(listener: (event: QueueEvent) => void): () => void;
  /** Starts the worker (records left in flight by a crash go back to waiting first). */
  start(): void;
  /** Stops taking new work and waits (at most `timeoutMs`) for requests in flight. */
  stop(timeoutMs?: number): Promise<void>;
  /** Resolves when nothing is waiting or sending (or the queue is paused). For the CLI and tests. */
  idle(): Promise<void>;
  /** Deletes log rows older than the retention setting; records still in the outbox are kept with their log. */
  prune(now?: number): { logRows: number; records: number };
}
