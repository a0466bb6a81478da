/**
 * How records come into the outbox: validated with the record rules of shared/, each given its key (kept
 * when it has one, minted when not), and recognised when they are there already. Runs inside the caller's
 * transaction, so a file of records is stored whole or not at all.
 *
 * "There already": the same key with the same content (a file enqueued again), or, where the key was
 * minted, the same content. The same key with other content is refused. For VIP batches this holds row by
 * row (a renewal sent twice may renew a car twice): rows already queued are left out of a new batch; a full
 * upload (`complete: 1`, which empties the park's list first) is kept whole unless every row is there. The row checks
 * themselves are vip-row-check.ts, shared with the import of a large list in slices (vip-import.ts).
 */
import { ENDPOINTS, parseRecord, type Endpoint } from '../../shared/platform/endpoints.ts';
import { parseOrThrow, RecordError, type FieldIssue } from '../../shared/records/fields.ts';
import { vipBatchSchema, VIP_BATCH_MAX_ROWS } from '../../shared/records/vip-recharge.ts';
import { fingerprint, vipRowFingerprint } from './fingerprint.ts';
import { mintKey, type KeyKind, type KeyOrigin } from './keys.ts';
import type { MetaRepo } from './meta-repo.ts';
import type { RecordsRepo } from './records-repo.ts';
import type { EnqueueOptions, EnqueueResult } from './types.ts';
import { blank, createRowChecker, isObject, PENDING_KEY, rowIssues, type RowVerdict } from './vip-row-check.ts';
import type { VipRowsRepo } from './vip-rows-repo.ts';

interface IntakeDeps {
  records: RecordsRepo;
  vipRows: VipRowsRepo;
  meta: MetaRepo;
  origin: () => KeyOrigin;
  now: () => number;
}

/** A record of a list that was refused: `index` is its place in the list (a file's line, say). */
export class ListRecordError extends RecordError {
  readonly index: number;
  constructor(index: number, issues: FieldIssue[]) {
    super(issues);
    this.name = 'ListRecordError';
    this.index = index;
  }
}

export function plateOf(endpoint: Endpoint, record: Record<string, unknown>): string | null {
  if (endpoint === 'vip-recharge') {
    const first = (record.row as Record<string, unknown>[] | undefined)?.[0];
    return typeof first?.plate === 'string' ? first.plate : null;
  }
  return typeof record.plate === 'string' ? record.plate : null;
}

/** The keys a list of records gives itself: minting passes over them as over stored ones. */
function givenKeys(endpoint: Endpoint, inputs: readonly Record<string, unknown>[]): Set<string> {
  const keys = new Set<string>();
  for (const input of inputs) {
    if (endpoint === 'vip-recharge') {
      if (!Array.isArray(input.row)) continue;
      for (const r of input.row) if (isObject(r) && typeof r.pay_partner === 'string') keys.add(r.pay_partner.trim());
    } else {
      const k = input[ENDPOINTS[endpoint].keyField];
      if (typeof k === 'string') keys.add(k.trim());
    }
  }
  return keys;
}

interface KeyedRows {
  rows: Record<string, unknown>[];
  /** Per row: queued before (by this console), so not to be sent again. */
  already: boolean[];
  minted: boolean[];
  fingerprints: string[];
}

export function createIntake(d: IntakeDeps) {
  function mint(kind: KeyKind, endpoint: Endpoint, reserved: ReadonlySet<string>): string {
    const used = (k: string) =>
      reserved.has(k) || (kind === 'row' ? d.vipRows.has(k) : d.records.byKey(endpoint, k) !== null);
    return mintKey(d.meta, d.origin(), kind, d.now(), used);
  }

  /**
   * The key a checked row goes under: its own, the stored one of the same content (a minted key), or a new one. Mints
   * inside the caller's transaction (the key instant is stored with what uses it).
   */
  function rowKey(v: Extract<RowVerdict, { ok: true }>, reserved: ReadonlySet<string>): string {
    if (!v.minted) return String(v.row.pay_partner);
    return v.stored?.payPartner ?? mint('row', 'vip-recharge', reserved);
  }

  /** Checks every row (all problems named, row[i].field), then gives each its key and says which are there already. */
  function keyRows(input: unknown[], reserved: ReadonlySet<string>): KeyedRows {
    const checker = createRowChecker(d.vipRows);
    const verdicts = input.map((raw) => checker.check(raw));
    const issues = verdicts.flatMap((v, i) => (v.ok ? [] : rowIssues(i, v.issues)));
    if (issues.length > 0) throw new RecordError(issues);
    const out: KeyedRows = { rows: [], already: [], minted: [], fingerprints: [] };
    for (const v of verdicts as Extract<RowVerdict, { ok: true }>[]) {
      out.rows.push({ ...v.row, pay_partner: rowKey(v, reserved) });
      out.already.push(v.stored !== null);
      out.minted.push(v.minted);
      out.fingerprints.push(v.fingerprint);
    }
    return out;
  }

  function insert(
    endpoint: Endpoint,
    key: string,
    record: Record<string, unknown>,
    fp: string | null,
    options: EnqueueOptions,
  ): number {
    if (options.dependsOn !== undefined && !d.records.get(options.dependsOn)) {
      throw new RecordError([{ field: 'dependsOn', message: `记录 #${options.dependsOn} 不存在` }]);
    }
    return d.records.insert({
      endpoint,
      key,
      plate: plateOf(endpoint, record),
      record,
      fingerprint: fp,
      createdBy: options.actor ?? null,
      dependsOn: options.dependsOn ?? null,
      now: d.now(),
    });
  }

  /** Stores a batch of rows already keyed; records every row as queued under it. */
  function insertBatch(
    keyed: KeyedRows,
    pick: number[],
    complete: 0 | 1 | undefined,
    reserved: ReadonlySet<string>,
    options: EnqueueOptions,
  ): EnqueueResult {
    const batch = parseRecord('vip-recharge', {
      ...(complete !== undefined ? { complete } : {}),
      row: pick.map((i) => keyed.rows[i]),
    }) as unknown as Record<string, unknown>;
    const key = mint('vip-recharge', 'vip-recharge', reserved);
    const id = insert('vip-recharge', key, batch, null, options);
    for (const i of pick) {
      const row = keyed.rows[i]!;
      d.vipRows.put(String(row.pay_partner), id, keyed.fingerprints[i]!, keyed.minted[i]!, row);
    }
    return { id, key, existing: false, rows: pick.map((i) => String(keyed.rows[i]!.pay_partner)), rowsAlready: 0 };
  }

  /**
   * Whether a full upload (complete=1) is one this console queued already: every row held by one earlier full upload
   * (its first batch and those waiting for it) that holds these rows and no others. Rows queued by other batches do
   * not make it so: sent again, the full upload empties the park's list of what is not in it. `holders`: per row, the
   * record holding it (undefined: none).
   */
  function sameFullUpload(holders: readonly (number | undefined)[]): boolean {
    if (holders.length === 0 || holders.some((h) => h === undefined)) return false;
    let firstId = Number.POSITIVE_INFINITY;
    for (const h of holders) if (h! < firstId) firstId = h!; // a loop: an import may hold tens of thousands
    const first = d.records.get(firstId);
    if (first?.record.complete !== 1) return false;
    const chain = d.vipRows.chain(first.id);
    return holders.every((h) => chain.ids.has(h!)) && chain.rows === holders.length;
  }

  const holdersOf = (keyed: KeyedRows) => keyed.rows.map((r) => d.vipRows.byKey(String(r.pay_partner))?.recordId);

  /** Where a VIP list whose every row is queued already stands: the record holding its first row. */
  function existingBatch(keys: readonly string[]): EnqueueResult {
    const holder = d.vipRows.byKey(keys[0]!);
    const rec = holder ? d.records.get(holder.recordId) : null;
    return { id: rec?.id ?? 0, key: rec?.key ?? '', existing: true, rows: [...keys], rowsAlready: keys.length };
  }
  const keysOf = (keyed: KeyedRows) => keyed.rows.map((r) => String(r.pay_partner));

  function one(
    endpoint: Endpoint,
    input: Record<string, unknown>,
    reserved: ReadonlySet<string>,
    options: EnqueueOptions,
  ): EnqueueResult {
    if (endpoint === 'vip-recharge') {
      if (!Array.isArray(input.row)) {
        parseRecord(endpoint, input); // names what is wrong with the batch itself
        throw new RecordError([{ field: 'row', message: '须为续费记录数组' }]);
      }
      const { row, ...rest } = input;
      const head = parseOrThrow(vipBatchSchema.omit({ row: true }), rest) as { complete?: 0 | 1 };
      if (row.length > VIP_BATCH_MAX_ROWS)
        throw new RecordError([{ field: 'row', message: `一批不能超过 ${VIP_BATCH_MAX_ROWS} 条` }]);
      const keyed = keyRows(row, reserved);
      const fresh = keyed.rows.map((_, i) => i).filter((i) => !keyed.already[i]);
      if (head.complete === 1 ? sameFullUpload(holdersOf(keyed)) : fresh.length === 0)
        return existingBatch(keysOf(keyed));
      // A full upload replaces the park's whole list: leaving out a row would delete it there.
      const pick = head.complete === 1 ? keyed.rows.map((_, i) => i) : fresh;
      return {
        ...insertBatch(keyed, pick, head.complete, reserved, options),
        rows: keyed.rows.map((r) => String(r.pay_partner)),
        rowsAlready: keyed.rows.length - fresh.length,
      };
    }
    const field = ENDPOINTS[endpoint].keyField;
    if (!blank(input[field])) {
      const record = parseRecord(endpoint, input) as Record<string, unknown>;
      const key = String(record[field]);
      const existing = d.records.byKey(endpoint, key);
      if (existing) {
        if (JSON.stringify(existing.record) === JSON.stringify(record)) return { id: existing.id, key, existing: true };
        throw new RecordError([{ field, message: `${key} 已存在且内容不同 (记录 #${existing.id})` }]);
      }
      return { id: insert(endpoint, key, record, null, options), key, existing: false };
    }
    const checked = parseRecord(endpoint, { ...input, [field]: PENDING_KEY }) as Record<string, unknown>;
    const fp = fingerprint(checked, field);
    const twin = d.records.byFingerprint(endpoint, fp);
    if (twin) return { id: twin.id, key: twin.key, existing: true };
    const key = mint(endpoint, endpoint, reserved);
    const record = { ...checked, [field]: key };
    return { id: insert(endpoint, key, record, fp, options), key, existing: false };
  }

  return {
    /** The pieces of a VIP list's intake, for an import run in slices (vip-import.ts). */
    vip: {
      /** The keys a list of rows gives itself: minting passes over them. */
      givenKeys: (rows: readonly unknown[]) => givenKeys('vip-recharge', [{ row: rows }]),
      rowKey,
      /** A new batch key (inside the transaction that stores it). */
      batchKey: (reserved: ReadonlySet<string>) => mint('vip-recharge', 'vip-recharge', reserved),
      sameFullUpload,
      existingBatch,
    },

    /**
     * An edited batch (resubmit): it stays what it was (a full upload's first batch or not), and its rows may not be
     * rows another record holds.
     */
    checkBatchEdit(id: number, before: Record<string, unknown>, after: Record<string, unknown>): void {
      if ((before.complete ?? 0) !== (after.complete ?? 0)) {
        throw new RecordError([{ field: 'complete', message: '完整上传标记 (complete) 不能修改: 请作废后重新导入' }]);
      }
      const issues: FieldIssue[] = [];
      (after.row as Record<string, unknown>[]).forEach((row, i) => {
        const stored = d.vipRows.byKey(String(row.pay_partner));
        if (stored && stored.recordId !== id) {
          issues.push({
            field: `row[${i}].pay_partner`,
            message: `${row.pay_partner} 已在记录 #${stored.recordId} 中`,
          });
        }
      });
      if (issues.length > 0) throw new RecordError(issues);
    },

    /** After an edit the batch's rows are its rows: those edited out are free again, the rest known by content. */
    batchEdited(id: number, record: Record<string, unknown>): void {
      const rows = record.row as Record<string, unknown>[];
      d.vipRows.release(
        id,
        rows.map((r) => String(r.pay_partner)),
      );
      for (const row of rows) d.vipRows.reassign(String(row.pay_partner), id, vipRowFingerprint(row), row);
    },

    /**
     * Every record of a list, in order; the first refused one throws ListRecordError (the caller's transaction undoes
     * the rest).
     */
    many(endpoint: Endpoint, inputs: readonly Record<string, unknown>[], options: EnqueueOptions): EnqueueResult[] {
      const reserved = givenKeys(endpoint, inputs);
      return inputs.map((input, i) => {
        try {
          return one(endpoint, input, reserved, options);
        } catch (e) {
          if (e instanceof RecordError) throw new ListRecordError(i, e.issues);
          throw e;
        }
      });
    },

    /** A full VIP upload: batches of `size`, `complete: 1` on the first, each waiting for the one before. */
    fullUpload(rows: readonly Record<string, unknown>[], size: number, options: EnqueueOptions): EnqueueResult[] {
      if (rows.length === 0) throw new RecordError([{ field: 'row', message: '至少一条' }]);
      const reserved = givenKeys('vip-recharge', [{ row: rows }]);
      const keyed = keyRows([...rows], reserved);
      if (sameFullUpload(holdersOf(keyed))) return [existingBatch(keysOf(keyed))];
      const out: EnqueueResult[] = [];
      let previous = options.dependsOn;
      for (let i = 0; i < rows.length; i += size) {
        const pick = keyed.rows.slice(i, i + size).map((_, j) => i + j);
        const r = insertBatch(keyed, pick, i === 0 ? 1 : undefined, reserved, {
          actor: options.actor,
          dependsOn: previous,
        });
        out.push(r);
        previous = r.id;
      }
      return out;
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
