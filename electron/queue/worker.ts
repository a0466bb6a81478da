/**
 * Drains the outbox in creation order with a small concurrency and a rate ceiling per park.
 * Signs at each attempt with the credentials in force then, so fixing a secret fixes the backlog.
 */
import type {
  PauseReason,
  PushLogRow,
  QueueEvent,
  QueueStatus,
  QueuedRecord,
  RecordState,
} from '../../shared/contract/queue.ts';
import { countsAsAccepted, type Outcome } from '../../shared/platform/outcome.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { redactOutcome, type PlatformClient } from '../platform/client.ts';
import { prepareRequest, type PreparedRequest } from '../platform/prepare.ts';
import { redactSecret } from '../platform/sign.ts';
import type { PlatformTarget } from '../platform/target.ts';
import { createAttemptWriter, type FinishedAttempt } from './attempt-writer.ts';
import type { Db } from './db.ts';
import type { LogRepo } from './log-repo.ts';
import type { MetaRepo } from './meta-repo.ts';
import { backoffDelay, createRateLimiter } from './pacing.ts';
import type { QueueConfig } from './queue.ts';
import type { RecordsRepo } from './records-repo.ts';

interface WorkerDeps {
  db: Db;
  records: RecordsRepo;
  log: LogRepo;
  meta: MetaRepo;
  client: PlatformClient;
  config: () => QueueConfig;
  now: () => number;
  random: () => number;
  emit: (e: QueueEvent) => void;
  status: () => QueueStatus;
}

const STATUS_EVENT_EVERY_MS = 250;
/** How many due records one query reads. */
const DUE_WINDOW = 32;
/**
 * How long after a failed write of an answer the worker waits before it sends again, in first backoffs (10 s by
 * default).
 */
const STORAGE_RETRY_BACKOFFS = 10;
/** How often the worker looks for records another process (the CLI) added, or a pause it lifted. */
const POLL_MS = 2000;

function failure(outcome: Outcome['outcome'], error: string, latencyMs = 0): Outcome {
  return {
    outcome,
    code: null,
    message: null,
    hint: null,
    seqno: null,
    httpStatus: null,
    latencyMs,
    error,
    diagnosis: null,
  };
}

export function createWorker(d: WorkerDeps) {
  const limiter = createRateLimiter();
  const inFlight = new Map<number, { done: Promise<void>; abort: AbortController }>();
  let running = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;
  let timerRereads = false;
  let idleWaiters: (() => void)[] = [];
  let lastStatusAt = 0;
  let statusTimer: NodeJS.Timeout | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  // Due records read by the last query, oldest first, none of them busy: a record leaves the window only to
  // be sent (or goes back to its head under the rate ceiling). Dropped whenever something other than a
  // finished attempt wakes the worker (a timer, the poll, an enqueue, a resubmit, a cancel), so the oldest
  // due goes first and nothing edited or cancelled since is sent as it was read.
  let window: QueuedRecord[] = [];
  const writer = createAttemptWriter({
    db: d.db,
    records: d.records,
    log: d.log,
    meta: d.meta,
    emit: d.emit,
    written(paused) {
      if (paused) emitStatusNow();
      else emitStatus();
      pump();
      checkIdle();
    },
  });
  /** Sending, or answered and not yet written: either way not to be sent again now. */
  const busy = {
    has: (id: number) => inFlight.has(id) || writer.has(id),
    get size() {
      return inFlight.size + writer.size;
    },
  };

  /** The oldest due record not already sent or being written (the window holds none of those: see above). */
  function takeDue(now: number): QueuedRecord | null {
    if (window.length === 0) window = d.records.due(now, DUE_WINDOW, [...inFlight.keys(), ...writer.ids()]);
    return window.shift() ?? null;
  }

  function emitStatusNow(): void {
    if (stopping) return;
    lastStatusAt = d.now();
    try {
      d.emit({ type: 'status', status: d.status() });
    } catch {
      // The database was closed under a late timer: there is no one left to tell.
    }
  }

  function emitStatus(): void {
    if (stopping) return;
    const since = d.now() - lastStatusAt;
    if (since >= STATUS_EVENT_EVERY_MS) emitStatusNow();
    else if (!statusTimer) {
      statusTimer = setTimeout(() => {
        statusTimer = null;
        emitStatus();
      }, STATUS_EVENT_EVERY_MS - since);
      statusTimer.unref?.();
    }
  }

  /** Wakes the worker at `at`: a backoff ending (`reread`: older records may be due now) or the rate ceiling. */
  function schedule(at: number, reread: boolean): void {
    if (!running) return;
    if (at >= timerAt) {
      timerRereads ||= reread;
      return;
    }
    if (timer) clearTimeout(timer);
    timerAt = at;
    timerRereads = reread;
    timer = setTimeout(
      () => {
        timer = null;
        timerAt = Infinity;
        if (timerRereads) window = [];
        pump();
      },
      Math.max(0, at - d.now()),
    );
  }

  function checkIdle(): void {
    if (inFlight.size > 0 || writer.size > 0) return;
    // With the database file gone nothing will be sent again in this run: nothing to wait for.
    if (
      d.meta.pause() ||
      !d.config().target ||
      d.db.storage.current()?.kind === 'file-gone' ||
      !d.records.hasPending()
    ) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /**
   * While answers cannot be written, sending more would only send the same records again: after a failed
   * write, wait a while (the poll tries again); with the database file gone, send nothing until a restart.
   */
  function storageHolds(): boolean {
    const p = d.db.storage.current();
    if (p === null) return false;
    return (
      p.kind === 'file-gone' ||
      (p.kind === 'write-failed' && d.now() - p.at < STORAGE_RETRY_BACKOFFS * d.config().backoffBaseMs)
    );
  }

  function pump(): void {
    if (!running || stopping) return;
    const cfg = d.config();
    if (d.meta.pause() || !cfg.target || storageHolds()) {
      checkIdle();
      return;
    }
    while (inFlight.size < cfg.concurrency) {
      const now = d.now();
      const next = takeDue(now);
      if (!next) {
        const wake = d.records.nextWake(now);
        if (wake !== null) schedule(wake, true);
        break;
      }
      const wait = limiter.take(cfg.target.parkUuid, cfg.ratePerSecond, now);
      if (wait > 0) {
        window.unshift(next);
        schedule(now + wait, false);
        break;
      }
      // In flight is known in memory only: after a crash the record is simply still waiting, and goes again with its
      // key.
      const sending = { ...next, state: 'sending' as RecordState, attempts: next.attempts + 1 };
      d.emit({ type: 'record', record: sending });
      const abort = new AbortController();
      const done = attempt(sending, cfg.target, cfg, abort.signal)
        .then((finished) => {
          // Handed to the writer before it leaves the in-flight set: never listed as due in between.
          writer.add(finished);
        })
        .catch(() => undefined)
        .finally(() => {
          inFlight.delete(next.id);
          emitStatus();
          pump();
          checkIdle();
        });
      inFlight.set(next.id, { done, abort });
    }
    emitStatus();
    checkIdle();
  }

  /** Sends one record and says what became of it; the writer puts that on disk. */
  async function attempt(
    rec: QueuedRecord,
    target: PlatformTarget,
    cfg: QueueConfig,
    signal: AbortSignal,
  ): Promise<FinishedAttempt> {
    const started = d.now();
    let prepared: PreparedRequest | null = null;
    let outcome: Outcome;
    try {
      prepared = await prepareRequest(rec.endpoint, rec.record, target);
      // Whatever the platform echoed of the secret is masked before it is stored, shown, exported or logged.
      outcome = redactOutcome(await d.client.send(prepared, { signal }), target.appSecret);
    } catch (e) {
      // A record the platform could never take as it stands (a deleted image, a rule that changed): a person decides.
      outcome =
        e instanceof RecordError
          ? failure('rejected', redactSecret(e.message, target.appSecret))
          : failure('retry', redactSecret(e instanceof Error ? e.message : String(e), target.appSecret));
    }
    const aborted = signal.aborted;
    const now = d.now();
    const logRow: Omit<PushLogRow, 'id'> = {
      at: started,
      endpoint: rec.endpoint,
      recordId: rec.id,
      recordKey: rec.key,
      plate: rec.plate,
      attempt: rec.attempts,
      fields: prepared?.params ?? {},
      files: prepared?.files.map((f) => ({ field: f.field, name: f.name, size: f.size, md5: f.md5 })) ?? [],
      plainMasked: prepared?.plainMasked ?? '',
      baseUrl: target.baseUrl,
      httpStatus: outcome.httpStatus,
      code: outcome.code,
      message: outcome.message,
      hint: outcome.hint,
      seqno: outcome.seqno,
      latencyMs: outcome.latencyMs,
      outcome: outcome.outcome,
      error: aborted ? `关闭时中止: ${outcome.error ?? ''}` : outcome.error,
      diagnosis: outcome.diagnosis,
    };
    const last = {
      outcome: outcome.outcome,
      code: outcome.code,
      message: outcome.message,
      hint: outcome.hint,
      seqno: outcome.seqno,
      error: logRow.error,
    };

    let state: RecordState;
    let nextAttemptAt: number | null = null;
    let acceptedAt: number | null = null;
    let pause: PauseReason | null = null;
    if (aborted) {
      state = 'waiting';
      nextAttemptAt = now;
    } else if (countsAsAccepted(outcome.outcome, target.mode)) {
      state = 'accepted';
      acceptedAt = now;
    } else if (outcome.outcome === 'auth') {
      // Not the record's fault: it waits, unburned, until the credentials change or a manager resumes.
      state = 'waiting';
      nextAttemptAt = now;
      pause = {
        kind: 'auth',
        message: outcome.message ?? (outcome.httpStatus === 404 ? '平台地址错误 (404)' : '平台拒绝了凭据'),
        code: outcome.code,
        hint: outcome.hint,
        at: now,
      };
    } else if (outcome.outcome === 'retry') {
      state = 'waiting';
      nextAttemptAt = now + backoffDelay(rec.attempts, cfg.backoffBaseMs, cfg.backoffCapMs, d.random);
    } else {
      state = 'attention';
    }
    const stuck = state === 'waiting' && rec.attempts >= cfg.stuckAfterAttempts;
    return { rec, logRow, state, nextAttemptAt, acceptedAt, at: now, last, stuck, pause };
  }

  return {
    inFlight: () => busy.size,
    isInFlight: (id: number) => busy.has(id),
    emitStatus,
    wake(): void {
      window = [];
      if (running) queueMicrotask(pump);
    },
    start(): void {
      running = true;
      stopping = false;
      pollTimer = setInterval(() => {
        d.meta.refresh();
        window = [];
        pump();
      }, POLL_MS);
      pollTimer.unref?.();
      pump();
    },
    async stop(timeoutMs: number): Promise<void> {
      stopping = true;
      running = false;
      if (timer) clearTimeout(timer);
      if (statusTimer) clearTimeout(statusTimer);
      if (pollTimer) clearInterval(pollTimer);
      timer = null;
      timerAt = Infinity;
      const all = Promise.all([...inFlight.values()].map((f) => f.done));
      let t: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((r) => (t = setTimeout(() => r(true), timeoutMs))),
      ]);
      clearTimeout(t);
      if (timedOut) {
        for (const f of inFlight.values()) f.abort.abort();
        await all;
      }
      writer.flush();
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    },
    idle(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },
  };
}
