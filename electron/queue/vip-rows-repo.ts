/**
 * Every VIP renewal row the outbox holds, by its `pay_partner` (the platform's key for a row): a row sent
 * twice may renew a car twice, so a row already queued (same key, or the same content where the key was
 * minted) is recognised and not queued again. Rows of cancelled records do not count: they never went.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface StoredVipRow {
  payPartner: string;
  recordId: number;
  fingerprint: string;
}

export function createVipRowsRepo(sql: DatabaseSync) {
  const active = `SELECT v.pay_partner AS payPartner, v.record_id AS recordId, v.fingerprint AS fingerprint
    FROM vip_rows v JOIN records r ON r.id = v.record_id WHERE r.state <> 'cancelled'`;
  const stmt = {
    byKey: sql.prepare(`${active} AND v.pay_partner = ?`),
    byMintedContent: sql.prepare(`${active} AND v.minted = 1 AND v.fingerprint = ? ORDER BY v.record_id LIMIT 1`),
    has: sql.prepare('SELECT 1 AS y FROM vip_rows WHERE pay_partner = ?'),
    put: sql.prepare(
      `INSERT INTO vip_rows (pay_partner, record_id, fingerprint, minted) VALUES (?, ?, ?, ?)
       ON CONFLICT(pay_partner) DO UPDATE
         SET record_id = excluded.record_id, fingerprint = excluded.fingerprint, minted = excluded.minted`,
    ),
    reassign: sql.prepare(
      `INSERT INTO vip_rows (pay_partner, record_id, fingerprint, minted) VALUES (?, ?, ?, 0)
       ON CONFLICT(pay_partner) DO UPDATE SET record_id = excluded.record_id, fingerprint = excluded.fingerprint`,
    ),
  };
  return {
    /** The queued (not cancelled) row with this key. */
    byKey: (payPartner: string) => (stmt.byKey.get(payPartner) as StoredVipRow | undefined) ?? null,
    /** The queued row with this content whose key was minted here. */
    byMintedContent: (fp: string) => (stmt.byMintedContent.get(fp) as StoredVipRow | undefined) ?? null,
    /** Whether the key was ever used here, by a cancelled record too (a minted key is never reused). */
    has: (payPartner: string) => stmt.has.get(payPartner) !== undefined,
    put(payPartner: string, recordId: number, fp: string, minted: boolean): void {
      stmt.put.run(payPartner, recordId, fp, minted ? 1 : 0);
    },
    /** The row now belongs to `recordId` with this content (an edited batch); whether its key was minted stays. */
    reassign(payPartner: string, recordId: number, fp: string): void {
      stmt.reassign.run(payPartner, recordId, fp);
    },
  };
}

export type VipRowsRepo = ReturnType<typeof createVipRowsRepo>;
