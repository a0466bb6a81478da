/**
 * The check of one VIP renewal row as it comes in, shared by every way rows come in (a batch enqueued, a full upload,
 * an import's preview and the import itself), so that they all say the same of the same row:
 *
 * - the row rules (vipRowSchema), with `pay_partner` absent meaning "to be minted";
 * - a `pay_partner` that an earlier row of the same list has (the later row is the bad one);
 * - two rows without a key saying the same (a renewal written twice, or two that nothing tells apart: refused, not
 *   merged, so a person decides);
 * - a `pay_partner` queued before with other content (two different renewals under one key: the platform would keep
 *   the first and answer OK to the second);
 * - "there already": the same key with the same content, or, without a key, the same content as a row whose key was
 *   minted here (its fingerprint).
 *
 * A checker keeps what it has seen, so a long list can be checked in slices (between event-loop turns) and a
 * duplicate found across slices. It only reads.
 */
import { toFieldIssues, type FieldIssue } from '../../shared/records/fields.ts';
import { vipRowSchema } from '../../shared/records/vip-recharge.ts';
import { vipRowFingerprint } from './fingerprint.ts';
import type { StoredVipRow } from './vip-rows-repo.ts';

/** Stands in for a key still to be minted while the row is checked. */
export const PENDING_KEY = 'PENDING-KEY';
/** The field of an issue about the row as a whole (as toFieldIssues names the record itself). */
export const WHOLE_ROW = '(记录)';

export const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the checker reads of the rows queued before. */
export interface StoredRowLookup {
  byKey(payPartner: string): StoredVipRow | null;
  byMintedContent(fp: string): StoredVipRow | null;
}

export type RowVerdict =
  | {
      ok: true;
      /** The row as the rules make it (plate normalised, times trimmed …); `pay_partner` is PENDING_KEY when minted. */
      row: Record<string, unknown>;
      /** It came without a key: one is to be minted (or it is the stored row of the same content). */
      minted: boolean;
      /** What the row says without its key (fingerprint.ts). */
      readonly fingerprint: string;
      /** The row queued before that this one is (same key and content, or same content of a minted key). */
      stored: StoredVipRow | null;
    }
  | {
      ok: false;
      /** Named by field without any row prefix (WHOLE_ROW for the row itself). */
      issues: FieldIssue[];
      /** The index of the earlier row of the list this one repeats (same pay_partner, or same content without one). */
      duplicateOf?: number;
    };

/** The issues of row `index` as a list names them: row[3].plate, or row[3] for the row itself. */
export function rowIssues(index: number, issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.map((x) => ({
    ...x,
    field: x.field === WHOLE_ROW || x.field === '' ? `row[${index}]` : `row[${index}].${x.field}`,
  }));
}

export interface RowChecker {
  /** Checks the next row of the list (its index is the number of rows checked before). */
  check(raw: unknown): RowVerdict;
  /** How many rows were checked. */
  readonly checked: number;
}

/**
 * A checker of one list. `rowName` says how a message names another row of the list (by default row[i], as a batch's
 * fields are named).
 */
export function createRowChecker(
  stored: StoredRowLookup,
  rowName: (index: number) => string = (i) => `row[${i}]`,
): RowChecker {
  const keys = new Map<string, number>();
  const contents = new Map<string, number>();
  let next = 0;
  return {
    get checked() {
      return next;
    },
    check(raw) {
      const index = next++;
      const issues: FieldIssue[] = [];
      let duplicateOf: number | undefined;
      // The raw key, as duplicatePayPartners (shared) reads it: a number or a key with spaces repeats it too.
      const rawKey = isObject(raw) && !blank(raw.pay_partner) ? String(raw.pay_partner).trim() : '';
      if (rawKey !== '') {
        const first = keys.get(rawKey);
        if (first !== undefined) {
          duplicateOf = first;
          issues.push({ field: 'pay_partner', message: `与 ${rowName(first)} 重复` });
        } else keys.set(rawKey, index);
      }
      const minted = isObject(raw) && blank(raw.pay_partner);
      const parsed = vipRowSchema.safeParse(minted ? { ...raw, pay_partner: PENDING_KEY } : raw);
      if (!parsed.success) issues.push(...toFieldIssues(parsed.error));
      if (issues.length > 0 || !parsed.success) return { ok: false, issues, duplicateOf };
      const row = parsed.data as Record<string, unknown>;
      if (minted) {
        const fp = vipRowFingerprint(row);
        const twin = contents.get(fp);
        if (twin !== undefined) {
          return {
            ok: false,
            issues: [{ field: WHOLE_ROW, message: `与 ${rowName(twin)} 完全相同: 同一续费不能写两次` }],
            duplicateOf: twin,
          };
        }
        contents.set(fp, index);
        return { ok: true, row, minted, fingerprint: fp, stored: stored.byMintedContent(fp) };
      }
      const key = String(row.pay_partner);
      const same = stored.byKey(key);
      if (!same) {
        // Not needed to say what the row is (a preview of new rows), only to store it: worked out when asked.
        let fp: string | undefined;
        return {
          ok: true,
          row,
          minted,
          stored: null,
          get fingerprint() {
            fp ??= vipRowFingerprint(row);
            return fp;
          },
        };
      }
      const fp = vipRowFingerprint(row);
      if (same.fingerprint !== fp) {
        return {
          ok: false,
          issues: [{ field: 'pay_partner', message: `${key} 已存在且内容不同 (记录 #${same.recordId})` }],
        };
      }
      return { ok: true, row, minted, fingerprint: fp, stored: same };
    },
  };
}
