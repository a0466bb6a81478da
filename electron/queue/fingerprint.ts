/**
 * What a record says, without its key: the same content typed or imported twice has the same fingerprint,
 * so a record whose key the console minted is recognised when it comes again (a file enqueued twice).
 */
import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 of the record's canonical JSON (keys sorted, undefined dropped) with `keyField` left out. */
export function fingerprint(record: Record<string, unknown>, keyField: string): string {
  const { [keyField]: _key, ...rest } = record;
  return createHash('sha256')
    .update(JSON.stringify(canonical(rest)))
    .digest('base64url');
}

/**
 * What a renewal row says: without its key (pay_partner) and without its operator, which the console fills from whoever
 * is on shift when the file or the form leaves it blank. The same renewal imported again by another manager, or after
 * a shift change, is the same renewal and must not be queued again.
 */
export function vipRowFingerprint(row: Record<string, unknown>): string {
  const { operator: _operator, ...rest } = row;
  return fingerprint(rest, 'pay_partner');
}
