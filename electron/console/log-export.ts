/**
 * The push log as a CSV file for Excel (csv.ts), written into the data folder a page at a time with a turn of the
 * event loop between pages (electron/services/exports.ts): 100,000 rows never sit in memory as one string, and the
 * backend's queue and sandbox keep running while it is written. The host then saves the file where the person says.
 */
import type { z } from 'zod';
import { EXPORT_MAX_ROWS, type CsvExport, type logFilterSchema } from '../../shared/contract/api.ts';
import { formatLocal } from '../../shared/records/time.ts';
import type { Queue } from '../queue/types.ts';
import { writeExport } from '../services/exports.ts';
import { CSV_BOM, csvHeader, csvLine } from './csv.ts';

type LogFilter = z.output<typeof logFilterSchema>;

const PAGE = 1000;
/** Records looked up for 操作人 etc. are kept for this many rows of the log at most (attempts of a record are near). */
const RECORDS_KEPT = 5000;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function exportLogCsv(
  queue: Queue,
  dataDir: string,
  filter: LogFilter,
  zone: string,
  now = Date.now(),
): Promise<CsvExport> {
  const stamp = formatLocal(now, zone)
    .replace(/[-: ]/g, '')
    .replace(/^(\d{8})/, '$1-');
  const filename = `推送日志-${stamp}.csv`;
  let rows = 0;
  let truncated = false;
  const records = new Map<number, Record<string, unknown> | null>();
  const recordOf = (id: number) => {
    if (!records.has(id)) {
      if (records.size >= RECORDS_KEPT) records.clear();
      records.set(id, queue.get(id)?.record ?? null);
    }
    return records.get(id) ?? null;
  };

  async function* pieces(): AsyncGenerator<string> {
    yield `${CSV_BOM}${csvHeader()}\r\n`;
    let beforeId: number | undefined;
    for (;;) {
      const page = queue.queryLog({ ...filter, limit: PAGE, ...(beforeId !== undefined ? { beforeId } : {}) });
      const lines: string[] = [];
      for (const r of page.rows) {
        if (rows >= EXPORT_MAX_ROWS) {
          truncated = true;
          break;
        }
        lines.push(csvLine(r, zone, recordOf), '\r\n');
        rows++;
      }
      if (lines.length > 0) yield lines.join('');
      if (truncated || page.nextBeforeId === null) return;
      beforeId = page.nextBeforeId;
      await turn();
    }
  }

  const file = await writeExport(dataDir, { filename, mime: 'text/csv' }, pieces());
  const message =
    `已导出 ${rows} 条, 文件名 ${filename}` +
    (truncated ? `; 符合条件的超过 ${EXPORT_MAX_ROWS} 条, 只导出了最新的 ${EXPORT_MAX_ROWS} 条, 请缩小范围` : '');
  return { file, rows, truncated, message };
}
