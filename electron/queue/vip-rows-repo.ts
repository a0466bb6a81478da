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
    release: sql.prepare(
      'DELETE FROM vip_rows WHERE record_id = ? AND pay_partner NOT IN (SELECT value FROM json_each(?))',
    ),
    chain: sql.prepare(
      `WITH RECURSIVE chain(id) AS (SELECT ? UNION ALL SELECT r.id FROM records r JOIN chain c ON r.depends_on = c.id)
       SELECT id FROM chain`,
    ),
    countIn: sql.prepare('SELECT COUNT(*) AS n FROM vip_rows WHERE record_id IN (SELECT value FROM json_each(?))'),
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
    reassign(payPartner: string, recordId: number, fp: string): void {
      stmt.reassign.run(payPartner, recordId, fp);
    },
  };
}

export type VipRowsRepo = ReturnType<typeof createVipRowsRepo>;
