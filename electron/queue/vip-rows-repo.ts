/**
 * Every VIP renewal row the outbox holds, by its `pay_partner` (the platform's key for a row): a row sent
 * twice may renew a car twice, so a row already queued (same key, or the same content where the key was
 * minted) is recognised and not queued again. Rows of cancelled records do not count: they never went.
 *
 * Each row also keeps its plate, charge type and end (schema 6), for what a new renewal's form offers: the plate's
 * last end and the charge types in use, read off an index rather than out of every batch's payload.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { RecordState } from '../../shared/contract/queue.ts';
import { parseUtc } from '../../shared/records/time.ts';

export interface StoredVipRow {
  payPartner: string;
  recordId: number;
  fingerprint: string;
}

/** The columns a row's content gives its vip_rows entry (beside key and fingerprint). */
export interface RenewalColumns {
  plate: string | null;
  chargeType: string | null;
  /** renewal_end_time as epoch ms: compared as instants ('…00.5Z' is after '…00Z' though it sorts before it). */
  endAt: number | null;
}

export function renewalColumns(row: Record<string, unknown>): RenewalColumns {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const end = str(row.renewal_end_time);
  return { plate: str(row.plate), chargeType: str(row.charge_type), endAt: end === null ? null : parseUtc(end) };
}

/** The row of a plate that ends last (not cancelled), and its record. */
export interface LastRenewalRow {
  payPartner: string;
  recordId: number;
  state: RecordState;
  createdAt: number;
}

export function createVipRowsRepo(sql: DatabaseSync) {
  // The record's state from records_id_state, not from the record's row (see migration 6).
  const active = `SELECT v.pay_partner AS payPartner, v.record_id AS recordId, v.fingerprint AS fingerprint
    FROM vip_rows v JOIN records r INDEXED BY records_id_state ON r.id = v.record_id WHERE r.state <> 'cancelled'`;
  const stmt = {
    byKey: sql.prepare(`${active} AND v.pay_partner = ?`),
    byMintedContent: sql.prepare(`${active} AND v.minted = 1 AND v.fingerprint = ? ORDER BY v.record_id LIMIT 1`),
    has: sql.prepare('SELECT 1 AS y FROM vip_rows WHERE pay_partner = ?'),
    put: sql.prepare(
      `INSERT INTO vip_rows (pay_partner, record_id, fingerprint, minted, plate, charge_type, end_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(pay_partner) DO UPDATE
         SET record_id = excluded.record_id, fingerprint = excluded.fingerprint, minted = excluded.minted,
             plate = excluded.plate, charge_type = excluded.charge_type, end_at = excluded.end_at`,
    ),
    release: sql.prepare(
      'DELETE FROM vip_rows WHERE record_id = ? AND pay_partner NOT IN (SELECT value FROM json_each(?))',
    ),
    chain: sql.prepare(
      `WITH RECURSIVE chain(id) AS (SELECT ? UNION ALL SELECT r.id FROM records r JOIN chain c ON r.depends_on = c.id)
       SELECT id FROM chain`,
    ),
    countIn: sql.prepare('SELECT COUNT(*) AS n FROM vip_rows WHERE record_id IN (SELECT value FROM json_each(?))'),
    reassign: sql.prepare(
      `INSERT INTO vip_rows (pay_partner, record_id, fingerprint, minted, plate, charge_type, end_at)
       VALUES (?, ?, ?, 0, ?, ?, ?)
       ON CONFLICT(pay_partner) DO UPDATE SET record_id = excluded.record_id, fingerprint = excluded.fingerprint,
         plate = excluded.plate, charge_type = excluded.charge_type, end_at = excluded.end_at`,
    ),
    // Down the plate's index from the latest end (rows without an end last), to the first row not cancelled.
    lastOfPlate: sql.prepare(
      `SELECT v.pay_partner AS payPartner, v.record_id AS recordId, r.state AS state, r.created_at AS createdAt
       FROM vip_rows v INDEXED BY vip_rows_plate JOIN records r ON r.id = v.record_id
       WHERE v.plate = ? AND r.state <> 'cancelled'
       ORDER BY v.end_at DESC, v.record_id DESC, v.rowid DESC LIMIT 1`,
    ),
    // The distinct charge types by a skip-scan of their index (a few dozen lookups, however many rows), each with the
    // newest record not cancelled that has it.
    chargeTypes: sql.prepare(
      `WITH RECURSIVE t(ct) AS (
         SELECT MIN(charge_type) FROM vip_rows WHERE charge_type IS NOT NULL
         UNION ALL
         SELECT (SELECT MIN(charge_type) FROM vip_rows WHERE charge_type > t.ct) FROM t WHERE t.ct IS NOT NULL
       )
       SELECT ct, (SELECT v.record_id FROM vip_rows v INDEXED BY vip_rows_charge_type
                     JOIN records r INDEXED BY records_id_state ON r.id = v.record_id
                   WHERE v.charge_type = t.ct AND r.state <> 'cancelled'
                   ORDER BY v.record_id DESC LIMIT 1) AS last
       FROM t WHERE ct IS NOT NULL AND last IS NOT NULL
       ORDER BY last DESC, ct LIMIT ?`,
    ),
  };
  return {
    /** The queued (not cancelled) row with this key. */
    byKey: (payPartner: string) => (stmt.byKey.get(payPartner) as StoredVipRow | undefined) ?? null,
    /** The queued row with this content whose key was minted here. */
    byMintedContent: (fp: string) => (stmt.byMintedContent.get(fp) as StoredVipRow | undefined) ?? null,
    /** Whether the key was ever used here, by a cancelled record too (a minted key is never reused). */
    has: (payPartner: string) => stmt.has.get(payPartner) !== undefined,
    put(payPartner: string, recordId: number, fp: string, minted: boolean, row: Record<string, unknown>): void {
      const c = renewalColumns(row);
      stmt.put.run(payPartner, recordId, fp, minted ? 1 : 0, c.plate, c.chargeType, c.endAt);
    },
    /** Rows of `recordId` other than `keep` are its rows no more (edited out of the batch). */
    release(recordId: number, keep: readonly string[]): void {
      stmt.release.run(recordId, JSON.stringify(keep));
    },
    /** A batch and every batch waiting for it, directly or not (a full upload's chain), and how many rows they hold. */
    chain(firstId: number): { ids: Set<number>; rows: number } {
      const ids = (stmt.chain.all(firstId) as { id: number }[]).map((r) => r.id);
      return { ids: new Set(ids), rows: (stmt.countIn.get(JSON.stringify(ids)) as { n: number }).n };
    },
    /** The row now belongs to `recordId` with this content (an edited batch); whether its key was minted stays. */
    reassign(payPartner: string, recordId: number, fp: string, row: Record<string, unknown>): void {
      const c = renewalColumns(row);
      stmt.reassign.run(payPartner, recordId, fp, c.plate, c.chargeType, c.endAt);
    },
    /** The plate's row (as stored: normalised) that ends last, ties by the newest record; not cancelled. */
    lastOfPlate: (plate: string) => (stmt.lastOfPlate.get(plate) as LastRenewalRow | undefined) ?? null,
    /** Distinct charge types of rows not cancelled, the most recently queued first. */
    chargeTypes: (limit: number) => (stmt.chargeTypes.all(limit) as { ct: string }[]).map((r) => r.ct),
  };
}

export type VipRowsRepo = ReturnType<typeof createVipRowsRepo>;
