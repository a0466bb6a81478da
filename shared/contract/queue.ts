/**
 * What the outbox and the push log look like from outside the main process. Plain data only:
 * these cross the process boundary (IPC or the preview host) and are safe to show; no secret.
 */
import type { Endpoint } from '../platform/endpoints.ts';
import type { OutcomeKind, SignatureDiagnosis } from '../platform/outcome.ts';

/**
 * - waiting: in the outbox, to be sent (now, or after its backoff, or after the record it waits for)
 * - sending: an attempt is in flight
 * - accepted: the platform took it (or ignored it while in production mode)
 * - attention: the platform refused it (or ignored it while integrating): a person edits and resubmits, or cancels
 * - cancelled: a manager decided it is not to be sent, with a reason
 */
export const RECORD_STATES = ['waiting', 'sending', 'accepted', 'attention', 'cancelled'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export const RECORD_STATE_LABELS: Record<RecordState, string> = {
  waiting: '待上传',
  sending: '上传中',
  accepted: '已上传',
  attention: '需处理',
  cancelled: '已作废',
};

export interface QueuedRecord {
  id: number;
  endpoint: Endpoint;
  /** Idempotency key: flow_no (update), parking_serial (leave), batch key (vip-recharge). */
  key: string;
  plate: string | null;
  /** The record as stored, unsigned, with the platform's field names. */
  record: Record<string, unknown>;
  state: RecordState;
  attempts: number;
  /** Flagged after N attempts without success; still retrying. */
  stuck: boolean;
  createdAt: number;
  updatedAt: number;
  nextAttemptAt: number | null;
  acceptedAt: number | null;
  /** Waits for this record to be accepted first (VIP full-upload batches). */
  dependsOn: number | null;
  createdBy: string | null;
  last: {
    outcome: OutcomeKind | null;
    code: string | null;
    message: string | null;
    hint: string | null;
    seqno: string | null;
    error: string | null;
  };
  cancelReason: string | null;
}

export interface PushLogFile {
  field: string;
  name: string;
  size: number;
  md5: string;
}

export interface PushLogRow {
  id: number;
  at: number;
  endpoint: Endpoint;
  recordId: number;
  recordKey: string;
  plate: string | null;
  attempt: number;
  /** Fields as sent (sign included); images as name, size and hash only. */
  fields: Record<string, string>;
  files: PushLogFile[];
  /** The signed text with the secret replaced by ***. */
  plainMasked: string;
  baseUrl: string;
  httpStatus: number | null;
  code: string | null;
  message: string | null;
  hint: string | null;
  seqno: string | null;
  latencyMs: number;
  outcome: OutcomeKind;
  error: string | null;
  diagnosis: SignatureDiagnosis | null;
}

export interface LogQuery {
  endpoint?: Endpoint;
  outcome?: OutcomeKind;
  /** Any part of the plate (B12345 finds 粤B12345), normalised as typed plates are (case, spaces). */
  plate?: string;
  key?: string;
  /** Instants, inclusive from, exclusive to. */
  from?: number;
  to?: number;
  /** Keyset paging: rows with id below this one. */
  beforeId?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

export interface LogPage {
  rows: PushLogRow[];
  /** Pass as beforeId for the next page; null at the end. */
  nextBeforeId: number | null;
}

export type PauseReason =
  | { kind: 'auth'; message: string; code: string | null; hint: string | null; at: number }
  | { kind: 'manual'; by: string; reason: string; at: number }
  /** The settings do not say where or as whom to send (no park_uuid or secret for a real platform). */
  | { kind: 'config'; message: string; at: number };

export interface QueueStatus {
  counts: Record<RecordState, number>;
  stuck: number;
  /** Age in ms of the oldest record still waiting or needing attention, or null. */
  oldestWaitingMs: number | null;
  paused: PauseReason | null;
  lastSuccessAt: number | null;
  inFlight: number;
  /**
   * Saving is failing (disk full, read-only folder, database file gone) or the database was missing at start; null when
   * all is well.
   */
  storage: StorageProblem | null;
}

/**
 * - write-failed: the last write failed (cleared by the next successful one)
 * - file-gone: the database file was deleted or replaced while running (until a restart)
 * - missing-at-start: this folder held records but its database was missing at start (until a restart)
 */
export interface StorageProblem {
  kind: 'write-failed' | 'file-gone' | 'missing-at-start';
  /** One Chinese sentence that says what happened and what to do. */
  problem: string;
  at: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  recordId: number | null;
  action: 'edit' | 'resubmit' | 'cancel' | 'pause' | 'resume';
  actor: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export type QueueEvent =
  | { type: 'log'; row: PushLogRow }
  | { type: 'record'; record: QueuedRecord }
  | { type: 'status'; status: QueueStatus };
