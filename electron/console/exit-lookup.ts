/**
 * The outbox's records of one parking_serial (离场补推's warnings and its "same exit saved again"): the leave record
 * whose key it is, and the abnormal-release (update) records that name it. The queue finds records by id and the log
 * by key, but a record not yet sent has no log row, and an update's parking_serial is not its key: read here.
 */
import type { DatabaseSync } from 'node:sqlite';

/** At most this many records of one serial are looked at (newest first): warnings need the latest few. */
const LIMIT = 20;

export interface ExitLookup {
  /** The leave record whose key is `serial`, or null. */
  leaveId(serial: string): number | null;
  /** Ids of the leave and update records of `serial`, newest first. */
  idsOfSerial(serial: string): number[];
}

export function createExitLookup(sql: DatabaseSync): ExitLookup {
  const leave = sql.prepare(`SELECT id FROM records WHERE endpoint = 'leave' AND key = ?`);
  // The update records are scanned (no index on a payload field): a few ms per 10,000, on a person's request only.
  const bySerial = sql.prepare(
    `SELECT id FROM records
     WHERE (endpoint = 'leave' AND key = ?)
        OR (endpoint = 'update' AND json_extract(payload, '$.parking_serial') = ?)
     ORDER BY id DESC LIMIT ${LIMIT}`,
  );
  return {
    leaveId: (serial) => (leave.get(serial) as { id: number } | undefined)?.id ?? null,
    idsOfSerial: (serial) => (bySerial.all(serial, serial) as { id: number }[]).map((r) => r.id),
  };
}
