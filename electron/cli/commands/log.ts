/** `log`: the push log, newest first, one JSON line per attempt (fields as sent, the secret masked). */
import { ENDPOINT_NAMES } from '../../../shared/platform/endpoints.ts';
import { OUTCOME_KINDS } from '../../../shared/platform/outcome.ts';
import type { LogQuery } from '../../../shared/contract/queue.ts';
import { normalizePlate } from '../../../shared/records/plate.ts';
import { LOG_PAGE_MAX } from '../../queue/log-repo.ts';
import { intFlag, oneOf, parseArgs } from '../args.ts';
import { callerPath } from '../files.ts';
import { checkDataDir, openCliQueue } from '../queue-target.ts';

export const logUsage =
  'log --data-dir D [--limit N] [--plate 粤B12] [--key K] [--endpoint E] ' +
  '[--outcome accepted|ignored|rejected|auth|retry]';

export async function logCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs('log', argv, {
    values: ['data-dir', 'limit', 'plate', 'key', 'endpoint', 'outcome'],
    required: ['data-dir'],
  });
  const dataDir = callerPath(values['data-dir']!);
  const limit = intFlag('log', 'limit', values.limit, 1, 1_000_000) ?? 100;
  const query: LogQuery = {
    // Stored plates are normalised (粤B12345): the filter is too, so 粤b12345 or 粤B 123 finds them.
    plate: values.plate === undefined ? undefined : normalizePlate(values.plate),
    key: values.key,
    endpoint: oneOf('log', 'endpoint', values.endpoint, ENDPOINT_NAMES),
    outcome: oneOf('log', 'outcome', values.outcome, OUTCOME_KINDS),
  };
  checkDataDir('log', dataDir, false);
  const cli = openCliQueue({ dataDir, target: null });
  try {
    let left = limit;
    let beforeId: number | undefined;
    while (left > 0) {
      const page = cli.queue.queryLog({ ...query, beforeId, limit: Math.min(left, LOG_PAGE_MAX) });
      for (const row of page.rows) out(JSON.stringify(row));
      left -= page.rows.length;
      if (page.nextBeforeId === null) break;
      beforeId = page.nextBeforeId;
    }
    return 0;
  } finally {
    await cli.close();
  }
}
