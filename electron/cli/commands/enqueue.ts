/**
 * `enqueue`: durably add the records of a file to a data folder's outbox (each its own FULL-sync commit),
 * without sending anything. Every record is checked first, so one bad record stores none.
 * Prints one JSON line per record: its id and idempotency key (kept when given, generated when not).
 */
import { statSync } from 'node:fs';
import { ENDPOINTS, ENDPOINT_NAMES, parseRecord, type Endpoint } from '../../../shared/platform/endpoints.ts';
import { RecordError } from '../../../shared/records/fields.ts';
import { FILE_FIELDS } from '../../../shared/records/leave.ts';
import { createRecordsRepo } from '../../queue/records-repo.ts';
import { CliError, oneOf, parseArgs } from '../args.ts';
import { checkDataDir, openCliQueue } from '../queue-target.ts';
import { placeOf, readRecordsFile, type FileRecord } from '../records-file.ts';

export const enqueueUsage = 'enqueue --endpoint update|leave|vip-recharge --file F.json|F.jsonl --data-dir D [--actor 操作员]';

const blank = (v: unknown) => v === undefined || v === null || v === '';

/** The record as the queue will store it, with a stand-in for each key the queue will generate. */
function probe(endpoint: Endpoint, record: Record<string, unknown>): Record<string, unknown> {
  if (endpoint === 'vip-recharge') {
    if (!Array.isArray(record.row)) return record;
    return {
      ...record,
      row: record.row.map((r: unknown, i) =>
        r && typeof r === 'object' && !(r as Record<string, unknown>).pay_partner ? { ...r, pay_partner: `cli-probe-${i}` } : r,
      ),
    };
  }
  const field = ENDPOINTS[endpoint].keyField;
  return blank(record[field]) ? { ...record, [field]: 'cli-probe' } : record;
}

export async function enqueueCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs('enqueue', argv, { values: ['endpoint', 'file', 'data-dir', 'actor'], required: ['endpoint', 'file', 'data-dir'] });
  const endpoint = oneOf('enqueue', 'endpoint', values.endpoint, ENDPOINT_NAMES)!;
  const path = values.file!;
  const dataDir = values['data-dir']!;
  const records = await readRecordsFile(path);
  checkDataDir('enqueue', dataDir, true);

  const cli = openCliQueue({ dataDir, target: null });
  try {
    check(endpoint, path, records, createRecordsRepo(cli.db.sql, () => Infinity));
    for (const r of records) {
      const { id, key } = cli.queue.enqueue(endpoint, r.record, { actor: values.actor });
      const stored = cli.queue.get(id)?.record;
      const rows = endpoint === 'vip-recharge' && Array.isArray(stored?.row) ? { rows: stored.row.map((x: { pay_partner?: unknown }) => x.pay_partner) } : {};
      out(JSON.stringify({ id, key, ...rows }));
    }
    return 0;
  } finally {
    await cli.close();
  }
}

/** Every problem of the first bad record, named by its line; nothing is stored when one is found. */
function check(endpoint: Endpoint, path: string, records: FileRecord[], repo: ReturnType<typeof createRecordsRepo>): void {
  const inFile = new Map<string, { content: string; place: string }>();
  const fail = (r: FileRecord, message: string): never => {
    throw new CliError(`enqueue: ${placeOf(path, r)}: ${message}; 未保存任何记录`);
  };
  for (const r of records) {
    let parsed: Record<string, unknown>;
    try {
      parsed = parseRecord(endpoint, probe(endpoint, r.record)) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof RecordError) fail(r, e.message);
      throw e;
    }
    for (const field of FILE_FIELDS) {
      const file = parsed[field];
      if (typeof file !== 'string') continue;
      let ok = false;
      try {
        ok = statSync(file).isFile();
      } catch {
        ok = false;
      }
      if (!ok) fail(r, `${field}: 文件不存在或不是文件: ${file}`);
    }
    if (endpoint === 'vip-recharge') continue;
    const field = ENDPOINTS[endpoint].keyField;
    if (blank(r.record[field])) continue;
    const key = String(parsed[field]);
    const content = JSON.stringify(parsed);
    const earlier = inFile.get(key);
    if (earlier && earlier.content !== content) fail(r, `${field}: ${key} 与 ${earlier.place} 重复且内容不同`);
    inFile.set(key, { content, place: placeOf(path, r) });
    const existing = repo.byKey(endpoint, key);
    if (existing && JSON.stringify(existing.record) !== content) fail(r, `${field}: ${key} 已存在且内容不同 (记录 #${existing.id})`);
  }
}
