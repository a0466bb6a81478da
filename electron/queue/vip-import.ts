/**
 * A spreadsheet of VIP renewals (up to tens of thousands of rows) into the outbox as ONE durable step, without holding
 * the event loop (the Electron main process: a window that stops answering) for the seconds the rows take to check,
 * key and serialise.
 *
 * The rows are checked a slice at a time (vip-row-check.ts, as every other way rows come in) and, as whole batches
 * form, staged: each slice of batches is its own short transaction into `staged_records` / `staged_vip_rows` (schema
 * 7), with a turn of the event loop between slices. Nothing reads the staging but the last step, one short durable
 * transaction that
 *   - refuses if a row was taken meanwhile (the same renewal saved from the form, or by `enqueue` in another process,
 *     between two slices): a key now held by another record, or held with other content, or a keyless content now
 *     queued under a minted key; the error names the row and nothing is stored;
 *   - moves the batches into `records` with INSERT … SELECT, ids MAX(id) + 1 … in order and, for a full upload, each
 *     batch waiting for the one before; the rows into `vip_rows` the same way, all but their plate, charge type and
 *     end (what a new renewal's form is offered: lastRenewal, chargeTypes);
 *   - marks the import committed.
 * From the next turn on, a few thousand rows a turn, the rows get their plate, charge type and end and their staging
 * is deleted (if the process dies first, the next sweep does it): the form's defaults may miss the import's rows for
 * those few turns, the outbox never.
 * Only after that commit do the record events go out and the worker wake. A crash (or power cut) before it leaves
 * staging and nothing queued; a crash after it, everything queued: never part of an import.
 *
 * For 20,000 rows the final transaction writes some 20,000 rows into vip_rows (table and two indexes) and syncs once;
 * the WAL checkpoint its size would set off is left to the next commit, outside it.
 *
 * Staging left behind is removed (sweep) when a queue opens on the folder and before each import, for every import not
 * committed whose owner is gone: the owner is the host, process id and a token of the import. An import of this
 * process is gone when its token is no longer live here (it failed, or its queue was dropped); one of another process
 * on this host when that process no longer runs; any import when it has not written for STALE_IMPORT_MS (another
 * host on a shared folder, or a process id reused). So a command-line import running beside a console that starts
 * keeps its staging, and one killed loses it at the next opening. An import swept while still running (paused longer
 * than STALE_IMPORT_MS) is refused at its last step and stores nothing.
 *
 * Keys are minted as intake.ts mints them, inside the slice's transaction that stages them: the database's last key
 * instant only goes forward, so the keys of a staging thrown away are never minted again.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RecordError, type FieldIssue } from '../../shared/records/fields.ts';
import { VIP_BATCH_MAX_ROWS } from '../../shared/records/vip-recharge.ts';
import { logError, logWarn } from '../services/logger.ts';
import type { Db } from './db.ts';
import { plateOf, type Intake } from './intake.ts';
import type { EnqueueResult, VipClassifier, VipImportOptions, VipRowCheck } from './types.ts';
import { createRowChecker, rowIssues, type RowVerdict } from './vip-row-check.ts';
import { renewalColumns, type VipRowsRepo } from './vip-rows-repo.ts';

/** Rows checked per turn of the event loop (about 50 µs each: the row rules, a fingerprint, one or two lookups). */
export const CHECK_SLICE = 250;
/** Rows staged per turn at most (whole batches, at least one): minting, serialising and writing, about 15 µs each. */
export const STAGE_SLICE = 1000;
/** Rows of a committed import tidied per turn: their plate, charge type and end written, their staging deleted. */
export const TIDY_SLICE = 2000;
/** An import not committed that has not written for this long is taken as dead whoever owns it. */
export const STALE_IMPORT_MS = 30 * 60_000;

/**
 * The tokens of the imports running in this process (see sweep): one set per process, even should this module be
 * loaded twice (two bundles), or one copy would take the other's running import for dead.
 */
const LIVE = Symbol.for('pyun-booth-console.vip-import.live-tokens');
const shared = globalThis as Record<symbol, Set<string> | undefined>;
shared[LIVE] ??= new Set<string>();
const liveTokens = shared[LIVE];

/** How the last import of this process went, in ms: for the figures (tests, bench), never for behaviour. */
export interface ImportTimings {
  total: number;
  /** The final transaction (commit included). */
  commit: number;
  /** The longest stretch between two turns of the event loop (a slice checked and staged, or the final step). */
  longestSlice: number;
  slices: number;
}
let timings: ImportTimings | null = null;
export const lastImportTimings = (): ImportTimings | null => timings;

type Good = Extract<RowVerdict, { ok: true }>;

interface OpenImport {
  id: number;
  owner_host: string;
  owner_pid: number;
  owner_token: string;
  touched_at: number;
}

interface StagedBatch {
  ord: number;
  key: string;
  keys: string[];
}

export interface VipImportDeps {
  db: Db;
  vipRows: VipRowsRepo;
  intake: Intake;
  now: () => number;
}

/** Whether a process of this host still runs (EPERM: it does, under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const toCheck = (v: RowVerdict): VipRowCheck => {
  if (!v.ok) {
    return v.duplicateOf === undefined
      ? { status: 'bad', issues: v.issues }
      : { status: 'bad', issues: v.issues, duplicateOf: v.duplicateOf };
  }
  if (v.stored) return { status: 'already', payPartner: v.stored.payPartner, recordId: v.stored.recordId };
  return { status: 'new' };
};

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createVipImport(d: VipImportDeps) {
  const { sql } = d.db;
  const host = hostname();
  const stmt = {
    open: sql.prepare(
      'SELECT id, owner_host, owner_pid, owner_token, touched_at FROM imports WHERE committed_at IS NULL',
    ),
    openOne: sql.prepare(
      'SELECT id, owner_host, owner_pid, owner_token, touched_at FROM imports WHERE id = ? AND committed_at IS NULL',
    ),
    begin: sql.prepare(
      `INSERT INTO imports (owner_host, owner_pid, owner_token, actor, rows, complete, started_at, touched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    touch: sql.prepare('UPDATE imports SET touched_at = ? WHERE id = ? AND committed_at IS NULL'),
    stageRecord: sql.prepare(
      'INSERT INTO staged_records (import_id, ord, key, plate, payload, rows) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    stageRow: sql.prepare(
      `INSERT INTO staged_vip_rows (import_id, idx, record_ord, pay_partner, fingerprint, minted, holder, plate,
         charge_type, end_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    staged: sql.prepare(
      `SELECT COUNT(*) AS n, COALESCE(MIN(ord), 0) AS lo, COALESCE(MAX(ord), 0) AS hi
       FROM staged_records WHERE import_id = ?`,
    ),
    // A staged key now held (not cancelled) by another record than when it was checked, or with other content.
    clashKey: sql.prepare(
      `SELECT s.idx AS idx, s.pay_partner AS payPartner, v.record_id AS recordId, 0 AS content
       FROM staged_vip_rows s JOIN vip_rows v ON v.pay_partner = s.pay_partner
         JOIN records r INDEXED BY records_id_state ON r.id = v.record_id AND r.state <> 'cancelled'
       WHERE s.import_id = ? AND (v.record_id IS NOT s.holder OR v.fingerprint <> s.fingerprint)
       ORDER BY s.idx LIMIT 1`,
    ),
    // A keyless row about to get a new key whose content is now queued under a key minted here.
    clashContent: sql.prepare(
      `SELECT s.idx AS idx, v.pay_partner AS payPartner, v.record_id AS recordId, 1 AS content
       FROM staged_vip_rows s JOIN vip_rows v ON v.fingerprint = s.fingerprint AND v.minted = 1
         JOIN records r INDEXED BY records_id_state ON r.id = v.record_id AND r.state <> 'cancelled'
       WHERE s.import_id = ? AND s.minted = 1 AND s.holder IS NULL
       ORDER BY s.idx LIMIT 1`,
    ),
    maxId: sql.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM records'),
    moveRecords: sql.prepare(
      `INSERT INTO records (id, endpoint, key, plate, payload, fingerprint, state, attempts, next_attempt_at,
                            created_at, updated_at, depends_on, created_by)
       SELECT :base + s.ord, 'vip-recharge', s.key, s.plate, s.payload, NULL, 'waiting', 0, :now, :now, :now,
              CASE WHEN :chain = 1 AND s.ord > 1 THEN :base + s.ord - 1 END, :actor
       FROM staged_records s WHERE s.import_id = :import ORDER BY s.ord`,
    ),
    // A row of a full upload queued before goes to its new batch, as intake's put does. The plate, charge type and end
    // come a turn later (renewalColumns): NULL, a row is in none of the indexes of those columns (they are partial),
    // which would double the work of this one step.
    moveRows: sql.prepare(
      `INSERT INTO vip_rows (pay_partner, record_id, fingerprint, minted)
       SELECT s.pay_partner, :base + s.record_ord, s.fingerprint, s.minted
       FROM staged_vip_rows s WHERE s.import_id = :import
       ON CONFLICT(pay_partner) DO UPDATE
         SET record_id = excluded.record_id, fingerprint = excluded.fingerprint, minted = excluded.minted`,
    ),
    // The plate, charge type and end of the rows of a committed import still held by its batches; then their staging.
    renewalColumns: sql.prepare(
      `UPDATE vip_rows SET plate = s.plate, charge_type = s.charge_type, end_at = s.end_at
       FROM staged_vip_rows s
       WHERE s.import_id = :import AND s.idx >= :lo AND s.idx < :hi
         AND vip_rows.pay_partner = s.pay_partner AND vip_rows.record_id = :base + s.record_ord
         AND (vip_rows.plate IS NOT s.plate OR vip_rows.charge_type IS NOT s.charge_type
              OR vip_rows.end_at IS NOT s.end_at)`,
    ),
    dropSomeRows: sql.prepare('DELETE FROM staged_vip_rows WHERE import_id = ? AND idx >= ? AND idx < ?'),
    dropRows: sql.prepare('DELETE FROM staged_vip_rows WHERE import_id = ?'),
    dropRecords: sql.prepare('DELETE FROM staged_records WHERE import_id = ?'),
    dropImport: sql.prepare('DELETE FROM imports WHERE id = ? AND committed_at IS NULL'),
    committedStaged: sql.prepare(
      `SELECT i.id AS id, i.base_id AS base FROM imports i
       WHERE i.committed_at IS NOT NULL AND EXISTS (SELECT 1 FROM staged_records s WHERE s.import_id = i.id)`,
    ),
    commit: sql.prepare('UPDATE imports SET committed_at = ?, base_id = ? WHERE id = ?'),
  };

  let commitMs = 0;

  function isDead(i: OpenImport, now: number): boolean {
    if (now - i.touched_at > STALE_IMPORT_MS) return true;
    if (i.owner_host !== host) return false;
    if (i.owner_pid === process.pid) return !liveTokens.has(i.owner_token);
    return !processAlive(i.owner_pid);
  }

  /** The staging of an import not committed, and the import. */
  function drop(id: number): void {
    stmt.dropRows.run(id);
    stmt.dropRecords.run(id);
    stmt.dropImport.run(id);
  }

  /** The rows `lo` ≤ idx < `hi` of a committed import: their plate, charge type and end into vip_rows, then away. */
  function tidyRows(id: number, base: number, lo: number, hi: number): void {
    stmt.renewalColumns.run({ import: id, base, lo, hi });
    stmt.dropSomeRows.run(id, lo, hi);
  }

  /** Dead imports, and committed ones whose staging is still there (a crash between the commit and the tidy-up). */
  const leftovers = (now: number) => ({
    dead: (stmt.open.all() as unknown as OpenImport[]).filter((i) => isDead(i, now)).map((i) => i.id),
    committed: stmt.committedStaged.all() as { id: number; base: number }[],
  });

  /**
   * Removes the staging of dead imports (see the top of this file); how many. Reads first, so that opening a folder
   * with nothing to remove writes nothing (a `status` beside a busy sender waits for no lock).
   */
  function sweep(): number {
    const first = leftovers(d.now());
    if (first.dead.length + first.committed.length === 0) return 0;
    return d.db.tx(() => {
      // Again inside the transaction: an import may have written or committed since.
      const { dead, committed } = leftovers(d.now());
      for (const id of dead) drop(id);
      for (const c of committed) {
        tidyRows(c.id, c.base, 0, Number.MAX_SAFE_INTEGER);
        stmt.dropRecords.run(c.id);
      }
      if (dead.length > 0) logWarn('queue.import', `已清理 ${dead.length} 个未完成的导入的暂存数据 (它们不会上传)`);
      return dead.length + committed.length;
    });
  }

  function classifier(rowName?: (index: number) => string): VipClassifier {
    const checker = createRowChecker(d.vipRows, rowName);
    return {
      get checked() {
        return checker.checked;
      },
      check: (rows) => rows.map((raw) => toCheck(checker.check(raw))),
    };
  }

  /**
   * The import itself (see the top of this file). `committed` is called with the ids stored as soon as they are
   * (events, the worker), before the staging is tidied away.
   */
  async function run(
    list: readonly Record<string, unknown>[],
    options: VipImportOptions,
    committed: (ids: number[]) => Promise<void>,
  ): Promise<EnqueueResult[]> {
    const size = options.batchSize;
    if (!Number.isInteger(size) || size < 1 || size > VIP_BATCH_MAX_ROWS) {
      throw new RecordError([{ field: 'batchSize', message: `每批条数须为 1 到 ${VIP_BATCH_MAX_ROWS} 的整数` }]);
    }
    if (list.length === 0) throw new RecordError([{ field: 'row', message: '至少一条' }]);
    try {
      sweep();
    } catch (e) {
      // Only old staging stays a while longer (it is never sent); the import itself does not need the sweep.
      logError('queue.import.sweep', e);
    }
    const complete = options.complete === true;
    const total = list.length;
    const reserved = d.intake.vip.givenKeys(list);
    const checker = createRowChecker(d.vipRows);
    const token = randomBytes(9).toString('base64url');
    liveTokens.add(token);

    const issues: FieldIssue[] = [];
    const good: (Good | undefined)[] = new Array(total);
    /** Per row: its key once known (stored, given or minted). */
    const keys: string[] = new Array(total);
    /** Rows checked good and waiting to be staged, in order. */
    const pending: number[] = [];
    const holders: (number | undefined)[] = [];
    const batches: StagedBatch[] = [];
    let importId: number | null = null;
    let checked = 0;
    let settled = 0;
    /** Rows queued before: left out, unless a full upload (which must hold every row, so sends them again). */
    let queuedBefore = 0;
    // A full upload whose rows are all queued already may be the same full upload again (which queues nothing): it is
    // staged only once a row is not queued, or, every row checked, it is not the same.
    let decided = !complete;

    const checkSlice = () => {
      const end = Math.min(total, checked + CHECK_SLICE);
      for (; checked < end; checked++) {
        const v = checker.check(list[checked]);
        if (!v.ok) {
          issues.push(...rowIssues(checked, v.issues));
          continue;
        }
        if (issues.length > 0) continue; // nothing will be stored: only the problems are still wanted
        if (v.stored) {
          keys[checked] = v.stored.payPartner;
          queuedBefore++;
        }
        if (complete) {
          holders.push(v.stored?.recordId);
          if (!v.stored) decided = true;
        } else if (v.stored) {
          settled++; // left out: sent twice, a renewal may renew a car twice
          continue;
        }
        good[checked] = v;
        pending.push(checked);
      }
    };

    /** Stages the whole batches waiting (the last, short one too once all are checked), STAGE_SLICE rows at most. */
    const stageSlice = () => {
      const take: number[][] = [];
      let n = 0;
      const flush = checked === total;
      let from = 0;
      while (pending.length - from >= size || (flush && pending.length > from)) {
        const next = Math.min(size, pending.length - from);
        if (n > 0 && n + next > STAGE_SLICE) break;
        take.push(pending.slice(from, from + next));
        from += next;
        n += next;
      }
      if (take.length === 0) return;
      const staged = d.db.tx(() => {
        if (importId === null) {
          const at = d.now();
          importId = Number(
            stmt.begin.run(host, process.pid, token, options.actor ?? null, total, complete ? 1 : 0, at, at)
              .lastInsertRowid,
          );
        } else if (Number(stmt.touch.run(d.now(), importId).changes) !== 1) {
          throw new Error('导入已中断 (暂存数据已被清理), 未保存任何记录, 请重新导入');
        }
        const out: StagedBatch[] = [];
        for (const pick of take) {
          const ord = batches.length + out.length + 1;
          const rows = pick.map((i) => {
            const v = good[i]!;
            keys[i] ??= d.intake.vip.rowKey(v, reserved);
            return { ...v.row, pay_partner: keys[i] };
          });
          const record = { ...(complete && ord === 1 ? { complete: 1 } : {}), row: rows };
          const key = d.intake.vip.batchKey(reserved);
          stmt.stageRecord.run(
            importId,
            ord,
            key,
            plateOf('vip-recharge', record),
            JSON.stringify(record),
            rows.length,
          );
          pick.forEach((i, j) => {
            const v = good[i]!;
            const c = renewalColumns(rows[j]!);
            const holder = complete ? (v.stored?.recordId ?? null) : null;
            stmt.stageRow.run(
              importId,
              i,
              ord,
              keys[i]!,
              v.fingerprint,
              v.minted ? 1 : 0,
              holder,
              c.plate,
              c.chargeType,
              c.endAt,
            );
          });
          out.push({ ord, key, keys: pick.map((i) => keys[i]!) });
        }
        return out;
      });
      batches.push(...staged);
      for (const i of pending.splice(0, n)) good[i] = undefined;
      settled += n;
    };

    const startedAt = performance.now();
    const t: ImportTimings = { total: 0, commit: 0, longestSlice: 0, slices: 0 };
    let sliceAt = startedAt;
    const sliceDone = () => {
      t.longestSlice = Math.max(t.longestSlice, performance.now() - sliceAt);
      t.slices++;
    };
    try {
      for (;;) {
        sliceAt = performance.now();
        checkSlice();
        if (issues.length === 0) {
          if (!decided && checked === total) {
            if (d.intake.vip.sameFullUpload(holders)) {
              await options.onProgress?.(total, total);
              return [d.intake.vip.existingBatch(keys)];
            }
            decided = true;
          }
          if (decided) stageSlice();
        }
        sliceDone();
        await options.onProgress?.(issues.length === 0 ? settled : checked, total);
        if (checked === total && (issues.length > 0 || pending.length === 0)) break;
        await turn();
      }
      if (issues.length > 0) throw new RecordError(issues);
      if (batches.length === 0) return [d.intake.vip.existingBatch(keys)];
      await turn(); // the last slice's work and the final step: two turns, not one
      sliceAt = performance.now();
      const base = commit(importId!, batches, complete, options.actor ?? null);
      const ids = batches.map((b) => base + b.ord);
      sliceDone();
      const id = importId!;
      importId = null; // committed: nothing of it is to be undone now
      await turn();
      try {
        await committed(ids);
      } catch (e) {
        // The import is stored all the same (the worker polls, the screens re-read): only an event was lost.
        logError('queue.import.events', e);
      }
      try {
        for (let lo = 0; lo < total; lo += TIDY_SLICE) {
          await turn();
          sliceAt = performance.now();
          d.db.tx(() => tidyRows(id, base, lo, lo + TIDY_SLICE));
          sliceDone();
        }
        await turn();
        d.db.tx(() => stmt.dropRecords.run(id));
      } catch (e) {
        // The import is stored; what is left of its staging the next sweep finishes (it is never sent).
        logError('queue.import.tidy', e);
      }
      timings = { ...t, commit: commitMs, total: performance.now() - startedAt };
      return batches.map((b, j) => ({
        id: ids[j]!,
        key: b.key,
        existing: false,
        rows: b.keys,
        rowsAlready: j === 0 ? queuedBefore : 0,
      }));
    } catch (e) {
      if (importId !== null) {
        const id = importId;
        try {
          d.db.tx(() => drop(id));
        } catch (cleanup) {
          // The staging stays until the next sweep removes it (its token is gone below): it is never sent.
          logError('queue.import.cleanup', cleanup);
        }
      }
      throw e;
    } finally {
      liveTokens.delete(token);
    }
  }

  /** The last step: one durable transaction, or nothing (see the top of this file). The id before the first batch's. */
  function commit(importId: number, batches: StagedBatch[], complete: boolean, actor: string | null): number {
    const started = performance.now();
    // The WAL holds the whole import by now (staging and the rows moved): a checkpoint at this commit would copy it
    // into the database file inside the one step that holds the event loop (some 100 ms more). It waits for the next
    // commit instead (the staging's tidy-up, a turn later).
    const autoCheckpoint = (sql.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number })
      .wal_autocheckpoint;
    sql.exec('PRAGMA wal_autocheckpoint = 0');
    try {
      return commitNow(importId, batches, complete, actor);
    } finally {
      commitMs = performance.now() - started;
      if (sql.isOpen) sql.exec(`PRAGMA wal_autocheckpoint = ${autoCheckpoint}`);
    }
  }

  function commitNow(importId: number, batches: StagedBatch[], complete: boolean, actor: string | null): number {
    return d.db.durable(() => {
      if (stmt.openOne.get(importId) === undefined) {
        throw new Error('导入中断过久, 暂存数据已被清理: 未保存任何记录, 请重新导入');
      }
      const staged = stmt.staged.get(importId) as { n: number; lo: number; hi: number };
      if (staged.n !== batches.length || staged.lo !== 1 || staged.hi !== batches.length) {
        throw new Error(`导入的暂存数据不完整 (${staged.n}/${batches.length} 批): 未保存任何记录, 请重新导入`);
      }
      const clash = (stmt.clashKey.get(importId) ?? stmt.clashContent.get(importId)) as
        | { idx: number; payPartner: string; recordId: number; content: number }
        | undefined;
      if (clash) {
        const what = clash.content
          ? { field: `row[${clash.idx}]`, message: `与记录 #${clash.recordId} 中的续费 ${clash.payPartner} 内容相同` }
          : { field: `row[${clash.idx}].pay_partner`, message: `${clash.payPartner} 已在记录 #${clash.recordId} 中` };
        throw new RecordError([
          { ...what, message: `${what.message} (导入期间另行保存): 本次导入未保存任何记录, 请重新检查后导入` },
        ]);
      }
      const base = (stmt.maxId.get() as { m: number }).m;
      const now = d.now();
      const params = { base, now, chain: complete ? 1 : 0, actor, import: importId };
      stmt.moveRecords.run(params);
      stmt.moveRows.run({ base, import: importId });
      // The staging goes in transactions of their own, from the next turn: committed, it is never moved again, and
      // deleting 20,000 rows here would lengthen the one step that holds the event loop by a fifth.
      stmt.commit.run(now, base, importId);
      return base;
    });
  }

  return {
    classifier,
    run,
    sweep,
  };
}

export type VipImport = ReturnType<typeof createVipImport>;
