/**
 * Writes finished attempts: the push-log row, the record's new state, the last success, an auth pause.
 * Accepted attempts are grouped into one commit every few milliseconds (a commit costs about as much as
 * four rows in it); anything else is written at once, so a 401 pauses the queue before another record
 * goes. Until its row is written an attempt still counts as in flight: a crash before the commit only
 * means the record is sent again, with its key.
 */
import type { PauseReason, PushLogRow, QueueEvent, QueuedRecord, RecordState } from '../../shared/contract/queue.ts';
import { logError } from '../services/logger.ts';
import type { Db } from './db.ts';
import type { LogRepo } from './log-repo.ts';
import type { MetaRepo } from './meta-repo.ts';
import type { LastAnswer, RecordsRepo } from './records-repo.ts';
import { storageMessage } from './storage-errors.ts';

export interface FinishedAttempt {
  /** The record as it was sent (its attempt number already counted). */
  rec: QueuedRecord;
  logRow: Omit<PushLogRow, 'id'>;
  state: RecordState;
  nextAttemptAt: number | null;
  acceptedAt: number | null;
  at: number;
  last: LastAnswer;
  stuck: boolean;
  /** Set when the platform refused the credentials: the whole queue stops. */
  pause: PauseReason | null;
}

interface WriterDeps {
  db: Db;
  records: RecordsRepo;
  log: LogRepo;
  meta: MetaRepo;
  emit: (e: QueueEvent) => void;
  /** After each commit: the worker looks for more (a record waiting on one just accepted may go now). */
  written: (paused: boolean) => void;
}

/** How long an accepted attempt may wait for others to share its commit. */
export const GROUP_COMMIT_MS = 20;

export function createAttemptWriter(d: WriterDeps) {
  const pending = new Map<number, FinishedAttempt>();
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    let written: { row: PushLogRow; changed: boolean }[];
    try {
      written = d.db.tx(() => {
        const out = batch.map((f) => ({
          row: d.log.insert(f.logRow),
          changed: d.records.finish(f.rec.id, f.state, f.rec.attempts, f.nextAttemptAt, f.acceptedAt, f.at, f.last),
        }));
        const accepted = batch.filter((f) => f.state === 'accepted');
        if (accepted.length > 0) d.meta.setLastSuccessAt(Math.max(...accepted.map((f) => f.at)));
        const pause = batch.find((f) => f.pause)?.pause;
        if (pause && d.meta.pause()?.kind !== 'auth') d.meta.setPause(pause);
        return out;
      });
    } catch (e) {
      // Nothing of the batch is on disk (one transaction): its records are still waiting there and go
      // again, with their keys. Never silent: logged, and the status shows it until a write succeeds
      // (db.ts already did for a storage failure; this covers anything else, e.g. a closed database).
      pending.clear();
      const problem =
        storageMessage(e, d.db.dir) ??
        `保存上传结果失败: ${e instanceof Error ? e.message : String(e)}。记录仍在待上传中, 稍后会用原键重发。`;
      d.db.storage.report('write-failed', problem);
      logError('queue.attempt-writer', `${batch.length} 条上传结果未能保存: ${problem}`);
      d.written(true); // the status says so now; the worker holds off sending (worker.ts storageHolds)
      return;
    }
    pending.clear();
    batch.forEach((f, i) => {
      const { row, changed } = written[i]!;
      d.emit({ type: 'log', row });
      const { rec, state, nextAttemptAt, acceptedAt, at, last, stuck } = f;
      // Not changed: someone else (another process) cancelled it meanwhile; say what is on disk.
      const record = changed
        ? { ...rec, state, nextAttemptAt, acceptedAt, updatedAt: at, last, stuck }
        : d.records.get(rec.id);
      if (record) d.emit({ type: 'record', record });
    });
    d.written(batch.some((f) => f.pause));
  }

  return {
    add(f: FinishedAttempt): void {
      pending.set(f.rec.id, f);
      if (f.state !== 'accepted') flush();
      else if (!timer) timer = setTimeout(flush, GROUP_COMMIT_MS);
    },
    flush,
    has: (id: number) => pending.has(id),
    ids: () => pending.keys(),
    get size() {
      return pending.size;
    },
  };
}
