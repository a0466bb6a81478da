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
import type { FieldIssue } from '../../shared/records/fields.ts';

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

/**
 * What the platform would make of one VIP renewal row of an import, in the list's order (see vip-row-check.ts):
 * `already` it has from this console (same pay_partner and content, or, without one, the same content as a row whose
 * key was minted here: `payPartner` is that key); `bad` with every problem named by field without a row prefix
 * (`(记录)` for the row itself; `duplicateOf` is the index of the earlier row it repeats).
 */
export type VipRowCheck =
  | { status: 'new' }
  | { status: 'already'; payPartner: string; recordId: number }
  | { status: 'bad'; issues: FieldIssue[]; duplicateOf?: number };

/**
 * Checks one list of rows in slices, in order: `check(slice)` takes the rows after those of the slices before (its
 * results are for that slice), so a pay_partner or a keyless content repeated across slices is still found. Reads only;
 * cheap enough (well under 100 ms per 1,000 rows) to be called with a few hundred rows between event-loop turns.
 */
export interface VipClassifier {
  check(rows: readonly Record<string, unknown>[]): VipRowCheck[];
  /** How many rows were checked so far (the index the next slice starts at). */
  readonly checked: number;
}

export interface VipImportOptions {
  /**
   * A full upload: the platform deletes every fixed vehicle of the park that is not in it. All rows go, batch 1 with
   * complete=1 and each later batch waiting for the one before; the same full upload again queues nothing.
   * Otherwise rows queued before are left out and the rest go in independent batches.
   */
  complete?: boolean;
  /** Rows per batch (1 to 1,000). */
  batchSize: number;
  /** Who imports, for the audit trail. */
  actor?: string;
  /**
   * Rows settled so far (staged, or left out as queued before) of `total`, after each slice. A promise it returns is
   * awaited; an error it throws stops the import, which then stores nothing.
   */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** A plate's last renewal queued by this console (not cancelled): the one that ends last, ties by the newest. */
export interface LastRenewal {
  /** The platform row as queued (pay_partner included). */
  row: Record<string, unknown>;
  recordId: number;
  state: RecordState;
  /** When its record was queued (epoch ms). */
  at: number;
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
  /**
   * classifyVipRows in slices: see VipClassifier. `rowName` says how a message names an earlier row of the list
   * (`与 row[3] 重复` by default; the index counts the rows given to this classifier).
   */
  vipClassifier(options?: { rowName?: (index: number) => string }): VipClassifier;
  /** The import's preview of a whole list, at once (vipClassifier().check(rows)). */
  classifyVipRows(rows: readonly Record<string, unknown>[]): VipRowCheck[];
  /**
   * A spreadsheet of VIP renewals, however long, as ONE durable step that does not hold the event loop: the rows are
   * checked again (RecordError naming row[i] on any problem) and staged a few hundred at a time, then moved into the
   * outbox by one short commit. A crash before that commit leaves nothing queued (the staging is removed when the
   * folder is next opened); a row another record took meanwhile refuses the whole import (RecordError naming it).
   * Returns the batches queued, in order, each with its rows' keys; the first result's `rowsAlready` counts the rows
   * queued before (left out, except from a full upload, which sends every row). Nothing to queue (every row queued
   * before, or the same full upload again): one result with `existing: true`, the record holding the first row, and
   * the keys of all the rows.
   */
  importVipRows(rows: readonly Record<string, unknown>[], options: VipImportOptions): Promise<EnqueueResult[]>;
  /** The plate's last renewal this console queued, to start a new one the day after it ends; null when none. */
  lastRenewal(plate: string): LastRenewal | null;
  /** The charge_type values of the rows this console queued (not cancelled), most recent first. */
  chargeTypes(limit?: number): string[];
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
