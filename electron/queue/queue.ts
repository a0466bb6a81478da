/**
 * The durable outbox. A record is on disk (FULL sync) before enqueue returns; it leaves only when the
 * platform accepted it or a person decided about it. Every attempt is a push-log row and an event.
 */
import {
  RECORD_STATE_LABELS,
  type QueueEvent,
  type QueueStatus,
  type QueuedRecord,
} from '../../shared/contract/queue.ts';
import { ENDPOINTS, parseRecord } from '../../shared/platform/endpoints.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { checkPlate } from '../../shared/records/plate.ts';
import { VIP_BATCH_MAX_ROWS } from '../../shared/records/vip-recharge.ts';
import type { PlatformClient } from '../platform/client.ts';
import type { PlatformTarget } from '../platform/target.ts';
import { createAuditRepo } from './audit-repo.ts';
import type { Db } from './db.ts';
import { createIntake, plateOf } from './intake.ts';
import { databasePart, randomId } from './keys.ts';
import { createLogRepo } from './log-repo.ts';
import { createMetaRepo } from './meta-repo.ts';
import { createRecordsRepo } from './records-repo.ts';
import type { Queue } from './types.ts';
import { createVipImport } from './vip-import.ts';
import { createVipRowsRepo } from './vip-rows-repo.ts';
import { createWorker } from './worker.ts';
import { acquireWorkerLock, type WorkerLock } from './worker-lock.ts';
import { createListeners } from '../services/listeners.ts';
import { logError } from '../services/logger.ts';

export interface QueueConfig {
  /** Where and as whom to send now; null with a reason when the settings do not say. */
  target: PlatformTarget | null;
  targetProblem: string | null;
  /** The readable part of every key this console mints (settings). */
  stationId: string;
  /** This install's random id, made at first start and kept with the settings: no two installs mint the same key. */
  installId: string;
  concurrency: number;
  ratePerSecond: number;
  stuckAfterAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  logRetentionDays: number;
}

export interface QueueDeps {
  db: Db;
  client: PlatformClient;
  config: () => QueueConfig;
  now?: () => number;
  random?: () => number;
  /** The run part of the keys this opening mints (settings.nextRunId()); random when not given (tests). */
  runId?: () => string;
  /** Who sends, as another process is told when it finds the folder's sender lock taken. */
  holder?: string;
}

const DAY = 24 * 3600 * 1000;

export function createQueue(deps: QueueDeps): Queue {
  const now = deps.now ?? Date.now;
  const { db } = deps;
  const records = createRecordsRepo(db.sql, () => deps.config().stuckAfterAttempts);
  const log = createLogRepo(db.sql);
  const audit = createAuditRepo(db.sql);
  const meta = createMetaRepo(db.sql);
  const vipRows = createVipRowsRepo(db.sql);
  // Drawn when this run first mints a key (status and log commands never do).
  let run: string | null = null;
  const runPart = () => (run ??= deps.runId?.() ?? randomId(2));
  const databaseId = databasePart(db.id);
  const intake = createIntake({
    records,
    vipRows,
    meta,
    origin: () => ({
      stationId: deps.config().stationId,
      installId: deps.config().installId,
      databaseId,
      runId: runPart(),
    }),
    now,
  });
  const vipImport = createVipImport({ db, vipRows, intake, now });
  try {
    vipImport.sweep();
  } catch (e) {
    // Opening must not fail for it: staging left over is never sent, and the next opening or import tries again.
    logError('queue.import.sweep', e);
  }
  const listeners = createListeners<QueueEvent>();
  let lock: WorkerLock | null = null;
  const emit = listeners.emit;

  const worker = createWorker({
    db,
    records,
    log,
    meta,
    client: deps.client,
    config: deps.config,
    now,
    random: deps.random ?? Math.random,
    emit,
    status: () => status(),
  });

  function status(): QueueStatus {
    const cfg = deps.config();
    const oldest = records.oldestOpen();
    const paused =
      meta.pause() ??
      (cfg.target ? null : { kind: 'config' as const, message: cfg.targetProblem ?? '未配置平台', at: now() });
    const counts = records.counts();
    // Records in flight are waiting on disk (see worker): show them as sending.
    const sending = worker.inFlight();
    counts.sending += sending;
    counts.waiting = Math.max(0, counts.waiting - sending);
    return {
      counts,
      stuck: records.stuckCount(),
      oldestWaitingMs: oldest === null ? null : Math.max(0, now() - oldest),
      paused,
      lastSuccessAt: meta.lastSuccessAt(),
      inFlight: worker.inFlight(),
      storage: db.storage.current(),
    };
  }

  function emitRecord(id: number): void {
    const r = records.get(id);
    if (r) emit({ type: 'record', record: r });
  }

  function afterInsert(ids: number[]): void {
    for (const id of ids) emitRecord(id);
    worker.emitStatus();
    worker.wake();
  }

  /** After an import: the worker at once, then one record event a turn (each reads a batch of up to 1,000 rows). */
  async function afterImport(ids: number[]): Promise<void> {
    afterInsert([]);
    for (const id of ids) {
      emitRecord(id);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  function mustGet(id: number): QueuedRecord {
    const r = records.get(id);
    if (!r) throw new RecordError([{ field: 'id', message: `记录 #${id} 不存在` }]);
    return r;
  }

  const queue: Queue = {
    enqueue(endpoint, record, options = {}) {
      return queue.enqueueMany(endpoint, [record], options)[0]!;
    },

    enqueueMany(endpoint, list, options = {}) {
      const results = db.durable(() => intake.many(endpoint, list, options));
      afterInsert(results.filter((r) => !r.existing).map((r) => r.id));
      return results;
    },

    enqueueVipFullUpload(rows, batchSize, options = {}) {
      const size = Math.max(1, Math.min(batchSize, VIP_BATCH_MAX_ROWS));
      const results = db.durable(() => intake.fullUpload(rows, size, options));
      afterInsert(results.filter((r) => !r.existing).map((r) => r.id));
      return results;
    },

    vipClassifier: (options) => vipImport.classifier(options?.rowName),
    classifyVipRows: (rows) => vipImport.classifier().check(rows),

    importVipRows: (rows, options) => vipImport.run(rows, options, afterImport),

    lastRenewal(plate) {
      const check = checkPlate(plate);
      const found = vipRows.lastOfPlate(check.ok ? check.plate : plate.trim());
      const rec = found ? records.get(found.recordId) : null;
      const row = (rec?.record.row as Record<string, unknown>[] | undefined)?.find(
        (r) => r.pay_partner === found!.payPartner,
      );
      return found && row ? { row, recordId: found.recordId, state: found.state, at: found.createdAt } : null;
    },
    chargeTypes: (limit = 50) => vipRows.chargeTypes(Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 50),

    get: (id) => records.get(id),
    list: (filter) => records.list(filter),

    resubmit(id, actor, edited) {
      const before = mustGet(id);
      if (worker.isInFlight(id)) throw new RecordError([{ field: 'state', message: '记录正在上传, 请稍后再试' }]);
      if (before.state !== 'attention' && before.state !== 'waiting') {
        throw new RecordError([
          {
            field: 'state',
            message: `记录状态为「${RECORD_STATE_LABELS[before.state]}」, 只有待上传或需处理的记录可以重新提交`,
          },
        ]);
      }
      let record = before.record;
      if (edited) {
        if (before.endpoint !== 'vip-recharge') {
          const field = ENDPOINTS[before.endpoint].keyField;
          if (edited[field] !== undefined && edited[field] !== before.key) {
            throw new RecordError([{ field, message: '幂等键不能修改 (重发必须沿用原键)' }]);
          }
          record = parseRecord(before.endpoint, { ...edited, [field]: before.key }) as Record<string, unknown>;
        } else {
          record = parseRecord(before.endpoint, edited) as Record<string, unknown>;
          intake.checkBatchEdit(id, before.record, record);
        }
      }
      db.durable(() => {
        records.resubmit(id, record, plateOf(before.endpoint, record), now());
        if (before.endpoint === 'vip-recharge') intake.batchEdited(id, record);
        audit.add({
          at: now(),
          recordId: id,
          action: edited ? 'edit' : 'resubmit',
          actor,
          reason: null,
          before: before.record,
          after: record,
        });
      });
      const after = mustGet(id);
      emit({ type: 'record', record: after });
      emit({ type: 'status', status: status() });
      worker.wake();
      return after;
    },

    cancel(id, actor, reason) {
      const before = mustGet(id);
      if (!reason.trim()) throw new RecordError([{ field: 'reason', message: '作废须填写原因' }]);
      if (worker.isInFlight(id)) throw new RecordError([{ field: 'state', message: '记录正在上传, 请稍后再试' }]);
      if (before.state === 'accepted' || before.state === 'cancelled' || before.state === 'sending') {
        throw new RecordError([
          { field: 'state', message: `记录状态为「${RECORD_STATE_LABELS[before.state]}」, 不能作废` },
        ]);
      }
      // What waits for it would wait forever (a VIP full upload's later batches, which must not go without
      // their first): it is cancelled with it, each audited, in one commit.
      const followers = db.durable(() => {
        records.cancel(id, reason.trim(), now());
        audit.add({
          at: now(),
          recordId: id,
          action: 'cancel',
          actor,
          reason: reason.trim(),
          before: before.record,
          after: null,
        });
        const ids = records.followers(id);
        const why = `前序记录 #${id} 已作废: ${reason.trim()}`;
        for (const f of ids) {
          const r = records.get(f)!;
          records.cancel(f, why, now());
          audit.add({ at: now(), recordId: f, action: 'cancel', actor, reason: why, before: r.record, after: null });
        }
        return ids;
      });
      const after = mustGet(id);
      for (const r of [after, ...followers.map(mustGet)]) emit({ type: 'record', record: r });
      emit({ type: 'status', status: status() });
      worker.wake(); // it forgets what it had read as due, this record among them
      return after;
    },

    pause(actor, reason) {
      db.durable(() => {
        meta.setPause({ kind: 'manual', by: actor, reason, at: now() });
        audit.add({ at: now(), recordId: null, action: 'pause', actor, reason, before: null, after: null });
      });
      emit({ type: 'status', status: status() });
    },

    resume(actor) {
      db.durable(() => {
        meta.setPause(null);
        audit.add({ at: now(), recordId: null, action: 'resume', actor, reason: null, before: null, after: null });
      });
      emit({ type: 'status', status: status() });
      worker.wake();
    },

    retryNow(actor, id) {
      if (id !== undefined) {
        const before = mustGet(id);
        if (before.state !== 'waiting' || worker.isInFlight(id)) {
          const label = worker.isInFlight(id) ? '上传中' : RECORD_STATE_LABELS[before.state];
          throw new RecordError([
            { field: 'state', message: `记录状态为「${label}」, 只有等待重试的记录可以立即重试` },
          ]);
        }
      }
      const at = now();
      const retried = db.durable(() => {
        const n = records.retryNow(at, id);
        if (n > 0) {
          const reason = id === undefined ? `立即重试 (全部等待重试的记录, 共 ${n} 条)` : '立即重试';
          audit.add({ at, recordId: id ?? null, action: 'resubmit', actor, reason, before: null, after: null });
        }
        return n;
      });
      if (id !== undefined && retried > 0) emit({ type: 'record', record: mustGet(id) });
      emit({ type: 'status', status: status() });
      worker.wake();
      return retried;
    },

    credentialsChanged() {
      try {
        db.durable(() => {
          if (meta.pause()?.kind === 'auth') meta.setPause(null);
          records.retryNow(now());
        });
      } catch (e) {
        // The settings are saved all the same; the storage problem shows in the status (db.storage).
        logError('queue.settings-changed', e);
      }
      emit({ type: 'status', status: status() });
      worker.wake();
    },

    status,
    queryLog: (q) => log.query(q),
    audit: (recordId) => audit.list(recordId),

    subscribe: listeners.add,

    start() {
      // Before anything is touched: a second sender on this folder is refused (WorkerBusyError).
      lock ??= acquireWorkerLock(db.dir, deps.holder ?? 'booth console');
      db.tx(() => records.releaseInFlight(now()));
      queue.prune();
      worker.start();
    },

    async stop(timeoutMs = 5000) {
      await worker.stop(timeoutMs);
      lock?.release();
      lock = null;
    },
    idle: () => worker.idle(),

    prune(at = now()) {
      return db.tx(() => log.prune(at - deps.config().logRetentionDays * DAY));
    },
  };
  return queue;
}
