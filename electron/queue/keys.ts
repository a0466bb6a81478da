/**
 * Idempotency keys, fixed when a record is created and never minted again. They carry the station
 * id, so several booth PCs of one car park never produce the same flow_no.
 */
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import type { MetaRepo } from './meta-repo.ts';

const PREFIX: Record<Endpoint | 'row', string> = { update: 'F', leave: 'L', 'vip-recharge': 'B', row: 'V' };

/** e.g. ST01-F-20261125-000042: station, kind, the day it was made (UTC), a sequence that never repeats. */
export function mintKey(meta: MetaRepo, stationId: string, kind: Endpoint | 'row', now: number): string {
  const n = meta.nextSequence(`key:${kind}`);
  const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
  return `${stationId}-${PREFIX[kind]}-${day}-${String(n).padStart(6, '0')}`;
}
