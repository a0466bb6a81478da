/**
 * The push log as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, every cell quoted
 * when it needs to be, and cells that Excel would run as a formula defused with a leading quote.
 */
import type { PushLogRow } from '../../shared/contract/queue.ts';
import { ENDPOINTS } from '../../shared/platform/endpoints.ts';
import { OUTCOME_LABELS } from '../../shared/platform/outcome.ts';
import { formatLocal, formatUtc } from '../../shared/records/time.ts';

export const CSV_BOM = '\uFEFF';

/** The record a log row belongs to, as stored now (null when it is gone): where 操作人 etc. come from. */
export type RecordOf = (recordId: number) => Record<string, unknown> | null;

/** A field of the record (as typed, never URL-encoded), else as it was sent. */
function field(name: string): (r: PushLogRow, zone: string, recordOf: RecordOf) => string | null {
  return (r, _zone, recordOf) => {
    const v = recordOf(r.recordId)?.[name];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return r.fields[name] ?? null;
  };
}

const COLUMNS: [string, (r: PushLogRow, zone: string, recordOf: RecordOf) => string | number | null][] = [
  ['日志号', (r) => r.id],
  ['时间(本地)', (r, zone) => formatLocal(r.at, zone)],
  ['时间(UTC)', (r) => formatUtc(r.at)],
  ['接口', (r) => ENDPOINTS[r.endpoint].label],
  ['记录号', (r) => r.recordId],
  ['流水号/键', (r) => r.recordKey],
  ['车牌', (r) => r.plate],
  ['操作人', field('operator')],
  ['放行原因', field('reason')],
  ['停车流水号', field('parking_serial')],
  ['第几次', (r) => r.attempt],
  ['结果', (r) => OUTCOME_LABELS[r.outcome]],
  ['HTTP', (r) => r.httpStatus],
  ['code', (r) => r.code],
  ['message', (r) => r.message],
  ['hint', (r) => r.hint],
  ['seqno', (r) => r.seqno],
  ['耗时(ms)', (r) => r.latencyMs],
  ['错误', (r) => r.error],
  ['平台地址', (r) => r.baseUrl],
];

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return COLUMNS.map(([name]) => csvCell(name)).join(',');
}

const noRecords: RecordOf = () => null;

export function csvLine(row: PushLogRow, zone: string, recordOf: RecordOf = noRecords): string {
  return COLUMNS.map(([, get]) => csvCell(get(row, zone, recordOf))).join(',');
}

export function logCsv(rows: Iterable<PushLogRow>, zone: string, recordOf: RecordOf = noRecords): string {
  const lines = [csvHeader()];
  for (const r of rows) lines.push(csvLine(r, zone, recordOf));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}
