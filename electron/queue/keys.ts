/**
 * Idempotency keys (flow_no, parking_serial, pay_partner, a VIP batch's own key), fixed when a record is
 * created and never minted again. The platform keeps the first record of a key and answers OK to every
 * repeat, so two different records under one key lose the second one silently: a key must never repeat,
 * across booth PCs, and on one PC across a wiped or restored database, without anybody configuring anything.
 *
 *   ST01-F-20261126-083015123-K7Q2M4XZ
 *   │    │ │        │         └ origin: 2 characters of this install's random id (made at first start, kept with
 *   │    │ │        │           the settings), 4 of this database's random id (made when the file is created) and
 *   │    │ │        │           2 counting the runs that minted (kept with the settings: a wiped or restored
 *   │    │ │        │           database does not count them again)
 *   │    │ │        └ HHmmssSSS (UTC) of the key's instant: one more than the last key of this database,
 *   │    │ │          or now, whichever is later, so it never goes back (a restored older copy included)
 *   │    │ └ yyyyMMdd (UTC) of the same instant
 *   │    └ kind: F update (flow_no), L leave (parking_serial), V vip row (pay_partner), B vip batch
 *   └ the station id (settings): the readable part, which nobody has to make unique
 *
 * Two PCs differ in the database part (each makes its own database), and in the install part unless the settings
 * file was copied. One PC whose database was wiped differs in the database part. One PC whose database was restored
 * from an older copy mints at instants later than any key it minted before: the clock has moved on. Keys run ahead
 * of the clock only in a burst (one millisecond a key: a 20,000-row import is 20 s ahead); a restore inside that
 * window is still told apart by the run part. A key already used (given by the command line, say) is skipped.
 * Only a whole data folder (settings and database) copied to a second PC that mints in the same millisecond
 * could repeat a key. At most 38 characters, within the platform's fields.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import type { MetaRepo } from './meta-repo.ts';

export type KeyKind = Endpoint | 'row';

const PREFIX: Record<KeyKind, string> = { update: 'F', leave: 'L', 'vip-recharge': 'B', row: 'V' };

/** Crockford's base32: no I, L, O, U, so a key read over the phone is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 32];
  return out;
}

/** The run part of keys: the count of openings, as 2 characters (1,024 runs before it comes round). */
export function runId(count: number): string {
  const n = ((Math.floor(count) % 1024) + 1024) % 1024;
  return `${ALPHABET[n >> 5]}${ALPHABET[n & 31]}`;
}

/** The database part of keys: 4 characters (20 bits) of a hash of the database's random id. */
export function databasePart(databaseId: string): string {
  const h = createHash('sha256').update(databaseId).digest();
  const bits = (h[0]! << 12) | (h[1]! << 4) | (h[2]! >> 4);
  return [15, 10, 5, 0].map((shift) => ALPHABET[(bits >> shift) & 31]).join('');
}

export const INSTALL_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4,16}$/;

export interface KeyOrigin {
  stationId: string;
  /** This install's random id (settings). */
  installId: string;
  /** 4 characters of the database's own random id (databasePart). */
  databaseId: string;
  /** Which run that minted this is (runId(n)), counted with the settings. */
  runId: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The key of `kind` for the instant `t` (ms). */
export function formatKey(origin: KeyOrigin, kind: KeyKind, t: number): string {
  const d = new Date(t);
  const day = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const hms = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const time = `${hms}${pad(d.getUTCMilliseconds(), 3)}`;
  const from = `${origin.installId.slice(0, 2)}${origin.databaseId}${origin.runId}`;
  return `${origin.stationId}-${PREFIX[kind]}-${day}-${time}-${from}`;
}

/**
 * A fresh key; call inside the transaction that stores it. `used` says whether a key is taken already
 * (stored, or given to another record of the same file): such a key is passed over.
 */
export function mintKey(
  meta: MetaRepo,
  origin: KeyOrigin,
  kind: KeyKind,
  now: number,
  used: (key: string) => boolean,
): string {
  let t = Math.max(Math.floor(now), meta.lastKeyInstant() + 1);
  let key = formatKey(origin, kind, t);
  while (used(key)) key = formatKey(origin, kind, ++t);
  meta.setLastKeyInstant(t);
  return key;
}
