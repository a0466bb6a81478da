/**
 * The durable outbox. A record is on disk (FULL sync) before enqueue returns; it leaves only when the
 * platform accepted it or a person decided about it. Every attempt is a push-log row and an event.
 */
import type { QueueEvent, QueueStatus, QueuedRecord } from '../../shared/contract/queue.ts';
import { ENDPOINTS, parseRecord, type Endpoint } from '../../shared/platform/endpoints.ts';
import { RecordError } from '../../shared/records/fields.ts';
import type { PlatformClient } from '../platform/client.ts';
import type { PlatformTarget } from '../platform/target.ts';
import { createAuditRepo } from './audit-repo.ts';
import type { Db } from './db.ts';
import { mintKey } from './keys.ts';
import { createLogRepo } from './log-repo.ts';
import { createMetaRepo } from './meta-repo.ts';
import { createRecordsRepo } from './records-repo.ts';
import type { EnqueueOptions, EnqueueResult, Queue } from './types.ts';
import { createWorker } from './worker.ts';
import { acquireWorkerLock, type WorkerLock } from './worker-lock.ts';
import { createListeners } from '../services/listeners.ts';

export interface QueueConfig {
  /** Where and as whom to send now; null with a reason when the settings do not say. */
  target: PlatformTarget | null;
  targetProblem: string | null;
  stationId: string;
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
  /** Who sends, as another process is told when it finds the folder's sender lock taken. */
  holder?: string;
}

const DAY = 24 * 3600 * 1000;

function plateOf(endpoint: Endpoint, record: Record<string, unknown>): string | null {
  if (endpoint === 'vip-recharge') {
    const first = (record.row as Record<string, unknown>[] | undefined)?.[0];
    return typeof first?.plate === 'string' ? first.plate : null;
  }
  return typeof record.plate === 'string' ? record.plate : null;
}

function sameContent(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function createQueue(deps: QueueDeps): Queue {
  const now = deps.now ?? Date.now;
  const { db } = deps;
  const records = createRecordsRepo(db.sql, () => deps.config().stuckAfterAttempts);
  const log = createLogRepo(db.sql);
  const audit = createAuditRepo(db.sql);
  const meta = createMetaRepo(db.sql);
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
    const paused = meta.pause() ?? (cfg.target ? null : { kind: 'config' as const, message: cfg.targetProblem ?? '未配置平台', at: now() });
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
    };
  }

  /** Fills the key when missing, validates, and returns the normalised record and its key. */
  function normalise(endpoint: Endpoint, input: Record<string, unknown>): { record: Record<string, unknown>; key: string } {
    const stationId = deps.config().stationId;
    const t = now();
    const withKeys: Record<string, unknown> = { ...input };
    if (endpoint === 'vip-recharge') {
      if (Array.isArray(withKeys.row)) {
        withKeys.row = withKeys.row.map((r: unknown) =>
          r && typeof r === 'object' && !(r as Record<string, unknown>).pay_partner ? { ...r, pay_partner: mintKey(meta, stationId, 'row', t) } : r,
        );
      }
    } else {
      const field = ENDPOINTS[endpoint].keyField;
      if (withKeys[field] === undefined || withKeys[field] === null || withKeys[field] === '') withKeys[field] = mintKey(meta, stationId, endpoint, t);
    }
    const record = parseRecord(endpoint, withKeys) as Record<string, unknown>;
    const key = endpoint === 'vip-recharge' ? mintKey(meta, stationId, endpoint, t) : String(record[ENDPOINTS[endpoint].keyField]);
    return { record, key };
  }

  function insertOne(endpoint: Endpoint, input: Record<string, unknown>, options: EnqueueOptions): EnqueueResult & { existing: boolean } {
    const { record, key } = normalise(endpoint, input);
    const existing = endpoint === 'vip-recharge' ? null : records.byKey(endpoint, key);
    if (existing) {
      if (sameContent(existing.record, record)) return { id: existing.id, key, existing: true };
      throw new RecordError([{ field: ENDPOINTS[endpoint].keyField, message: `${key} 已存在且内容不同 (记录 #${existing.id})` }]);
    }
    if (options.dependsOn !== undefined && !records.get(options.dependsOn)) {
      throw new RecordError([{ field: 'dependsOn', message: `记录 #${options.dependsOn} 不存在` }]);
    }
    const id = records.insert({
      endpoint,
      key,
      plate: plateOf(endpoint, record),
      record,
      createdBy: options.actor ?? null,
      dependsOn: options.dependsOn ?? null,
      now: now(),
    });
    return { id, key, existing: false };
  }

  function afterInsert(ids: number[]): void {
    for (const id of ids) {
      const r = records.get(id);
      if (r) emit({ type: 'record', record: r });
    }
    worker.emitStatus();
    worker.wake();
  }

  function mustGet(id: number): QueuedRecord {
    const r = records.get(id);
    if (!r) throw new RecordError([{ field: 'id', message: `记录 #${id} 不存在` }]);
    return r;
  }

  const queue: Queue = {
    enqueue(endpoint, record, options = {}) {
      const result = db.durable(() => insertOne(endpoint, record, options));
      if (!result.existing) afterInsert([result.id]);
      return { id: result.id, key: result.key };
    },

    enqueueVipFullUpload(rows, batchSize, options = {}) {
      if (rows.length === 0) throw new RecordError([{ field: 'row', message: '至少一条' }]);
      const size = Math.max(1, Math.min(batchSize, 1000));
      const results = db.durable(() => {
        const out: EnqueueResult[] = [];
        let previous: number | undefined = options.dependsOn;
        for (let i = 0; i < rows.length; i += size) {
          const batch = { ...(i === 0 ? { complete: 1 } : {}), row: rows.slice(i, i + size) };
          try {
            const r = insertOne('vip-recharge', batch, { actor: options.actor, dependsOn: previous });
            out.push({ id: r.id, key: r.key });
            previous = r.id;
          } catch (e) {
            if (e instanceof RecordError) {
              // Name rows by their place in the whole upload, not in the batch.
              throw new RecordError(e.issues.map((x) => ({ ...x, field: x.field.replace(/^row\[(\d+)\]/, (_, n: string) => `row[${Number(n) + i}]`) })));
            }
            throw e;
          }
        }
        return out;
      });
      afterInsert(results.map((r) => r.id));
      return results;
    },

    mintKey: (endpoint) => db.tx(() => mintKey(meta, deps.config().stationId, endpoint, now())),
    get: (id) => records.get(id),
    list: (filter) => records.list(filter),

    resubmit(id, actor, edited) {
      const before = mustGet(id);
      if (worker.isInFlight(id)) throw new RecordError([{ field: 'state', message: '记录正在上传, 请稍后再试' }]);
      if (before.state !== 'attention' && before.state !== 'waiting') {
        throw new RecordError([{ field: 'state', message: `记录状态为 ${before.state}, 只有待上传或需处理的记录可以重新提交` }]);
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
        }
      }
      db.durable(() => {
        records.resubmit(id, record, plateOf(before.endpoint, record), now());
        audit.add({ at: now(), recordId: id, action: edited ? 'edit' : 'resubmit', actor, reason: null, before: before.record, after: record });
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
        throw new RecordError([{ field: 'state', message: `记录状态为 ${before.state}, 不能作废` }]);
      }
      // What waits for it would wait forever (a VIP full upload's later batches, which must not go without
      // their first): it is cancelled with it, each audited, in one commit.
      const followers = db.durable(() => {
        records.cancel(id, reason.trim(), now());
        audit.add({ at: now(), recordId: id, action: 'cancel', actor, reason: reason.trim(), before: before.record, after: null });
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

    credentialsChanged() {
      if (meta.pause()?.kind === 'auth') db.durable(() => meta.setPause(null));
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
