/**
 * `enqueue`: durably add the records of a file to a data folder's outbox, without sending anything.
 * The file is taken whole or not at all: every record is checked and stored in one commit, so one bad
 * record (or a key clash, or a missing image) stores none. Records already queued from an earlier run of
 * the same file (same key, or the same content where the key was minted) are recognised, not queued again.
 * Prints one JSON line per record (its id and key, kept when given, minted when not; `existing` when it
 * was there already; a VIP batch's row keys and how many rows were there already) and a summary on stderr.
 * A leave record's images are copied into the data folder first (images/store.ts): the stored record points at the
 * copy, so the original may be moved or deleted before `drain` sends it.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ENDPOINT_NAMES, type Endpoint } from '../../../shared/platform/endpoints.ts';
import { FILE_FIELDS, leaveRecordSchema } from '../../../shared/records/leave.ts';
import { copyImage, ImageFileError } from '../../images/store.ts';
import { ListRecordError } from '../../queue/intake.ts';
import type { EnqueueResult } from '../../queue/types.ts';
import { CliError, oneOf, parseArgs } from '../args.ts';
import { callerPath } from '../files.ts';
import { checkDataDir, openCliQueue } from '../queue-target.ts';
import { placeOf, readRecordsFile, type FileRecord } from '../records-file.ts';
import { blank, PENDING_KEY } from '../../queue/vip-row-check.ts';

export const enqueueUsage =
  'enqueue --endpoint update|leave|vip-recharge --file F.json|F.jsonl --data-dir D [--actor 操作员]';

/** An image a record names must be a file now: its hash is taken when it is sent. */
function checkImages(path: string, records: FileRecord[]): void {
  for (const r of records) {
    for (const field of FILE_FIELDS) {
      const file = r.record[field];
      if (typeof file !== 'string' || file === '') continue;
      let ok: boolean;
      try {
        ok = statSync(file).isFile();
      } catch {
        ok = false; // missing or unreadable: said just below, nothing stored
      }
      if (!ok)
        throw new CliError(`enqueue: ${placeOf(path, r)}: ${field}: 文件不存在或不是文件: ${file}; 未保存任何记录`);
    }
  }
}

/**
 * Each `*_file` copied into `<dataDir>/images/<MD5>/<its own name>` (the name the platform is sent stays the file's),
 * fsync'd before the records are committed; the records then point at the copies. Only when every record passes the
 * record rules: a file refused whole copies nothing (enqueueMany names the bad record).
 */
async function copyImages(path: string, dataDir: string, records: FileRecord[]): Promise<FileRecord[]> {
  // A record without parking_serial gets one minted when stored: checked here with a stand-in, as intake does.
  const checkable = (r: FileRecord) =>
    blank(r.record.parking_serial) ? { ...r.record, parking_serial: PENDING_KEY } : r.record;
  if (!records.every((r) => leaveRecordSchema.safeParse(checkable(r)).success)) return records;
  const out: FileRecord[] = [];
  for (const r of records) {
    const record = { ...r.record };
    for (const field of FILE_FIELDS) {
      const file = record[field];
      if (typeof file !== 'string' || file === '') continue;
      const name = basename(file);
      let copy: Awaited<ReturnType<typeof copyImage>>;
      try {
        copy = await copyImage(
          dataDir,
          { name, path: file },
          { imagesOnly: false, nameFor: (md5) => `${md5}/${name}` },
        );
      } catch (e) {
        if (e instanceof ImageFileError)
          throw new CliError(`enqueue: ${placeOf(path, r)}: ${field}: ${e.message}; 未保存任何记录`);
        throw e;
      }
      const hashField = field.replace(/_file$/, '_hash');
      const given = record[hashField];
      if (typeof given === 'string' && given.trim() !== '' && given.trim().toUpperCase() !== copy.md5) {
        throw new CliError(
          `enqueue: ${placeOf(path, r)}: ${hashField}: 与文件不一致 (文件的 MD5 为 ${copy.md5}); 未保存任何记录`,
        );
      }
      record[field] = copy.path;
    }
    out.push({ line: r.line, record });
  }
  return out;
}

export async function enqueueCommand(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const { values } = parseArgs('enqueue', argv, {
    values: ['endpoint', 'file', 'data-dir', 'actor'],
    required: ['endpoint', 'file', 'data-dir'],
  });
  const endpoint: Endpoint = oneOf('enqueue', 'endpoint', values.endpoint, ENDPOINT_NAMES)!;
  // Both relative to the folder the command was typed in (npm's INIT_CWD), not to the package root npm runs it in.
  const path = callerPath(values.file!);
  const dataDir = callerPath(values['data-dir']!);
  const read = await readRecordsFile(path);
  checkDataDir('enqueue', dataDir, true);
  checkImages(path, read);
  const records = endpoint === 'leave' ? await copyImages(path, dataDir, read) : read;

  const cli = openCliQueue({ dataDir, target: null });
  try {
    let results: EnqueueResult[];
    try {
      results = cli.queue.enqueueMany(
        endpoint,
        records.map((r) => r.record),
        { actor: values.actor },
      );
    } catch (e) {
      if (e instanceof ListRecordError)
        throw new CliError(`enqueue: ${placeOf(path, records[e.index]!)}: ${e.message}; 未保存任何记录`);
      throw e;
    }
    for (const r of results) {
      const rows = r.rows ? { rows: r.rows, rowsAlready: r.rowsAlready } : {};
      out(JSON.stringify({ id: r.id, key: r.key, existing: r.existing, ...rows }));
    }
    const stored = results.filter((r) => !r.existing).length;
    const already = results.length - stored;
    const rowsAlready = results.reduce((n, r) => n + (r.existing ? 0 : (r.rowsAlready ?? 0)), 0);
    err(
      `enqueue: 新保存 ${stored} 条记录` +
        (already > 0 ? `, ${already} 条此前已在队列中 (未重复保存)` : '') +
        (rowsAlready > 0 ? `; 其中 ${rowsAlready} 行续费此前已在队列中` : ''),
    );
    return 0;
  } finally {
    await cli.close();
  }
}
