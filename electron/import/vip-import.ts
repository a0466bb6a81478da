/**
 * The bulk VIP renewal import (固定车续费), one entry for both hosts and the command line: read a spreadsheet,
 * check every row with the record rules of shared/ (renewal.ts), say which rows this console queued before, then
 * queue the good ones in batches as one durable step. Work is done in slices with event-loop turns between them
 * and reported through `onProgress`, so a 20,000-row file never freezes the host process.
 */
import type {
  ImportBatchResult,
  ImportCommitResult,
  ImportIssue,
  ImportMapping,
  ImportPhase,
  ImportPreview,
  ImportRowView,
} from '../../shared/contract/vip.ts';
import { RecordError } from '../../shared/records/fields.ts';
import { type RenewalEntry, renewalFieldLabel, renewalToRow } from '../../shared/records/renewal.ts';
import type { Queue } from '../queue/types.ts';
import { headersKey, mapHeaders } from './headers.ts';
import type { MappingMemory } from './mapping-memory.ts';
import { readTable, type Table } from './read-table.ts';
import { rowToEntry } from './rows.ts';
import { EXAMPLE_OPERATOR } from './template.ts';

/** Rows checked between two turns of the event loop. */
const SLICE = 200;
const turn = () => new Promise<void>((done) => setImmediate(done));

export type Progress = (phase: ImportPhase, done: number, total: number) => void;

export interface CheckOptions {
  zone: string;
  /** Headers mapped by hand; remembered for files with the same headers when every required field is found. */
  mapping?: ImportMapping;
  memory?: MappingMemory;
  /** Fills 操作员 when a row leaves it blank (the manager who imports). */
  operator?: string;
  onProgress?: Progress;
}

/** A checked file: everything the preview shows and what a commit queues. */
export interface CheckedImport {
  table: Table;
  preview: Omit<ImportPreview, 'file' | 'batchSize'>;
  /** The platform's rows of the good and already-sent rows, in file order. */
  rows: Record<string, unknown>[];
  /** Per entry of `rows`: queued before by this console. */
  already: boolean[];
  /** Spreadsheet row number → its problems (bad rows only). */
  problems: Map<number, string[]>;
}

function view(
  row: number,
  entry: RenewalEntry | null,
  status: ImportRowView['status'],
  problems: string[],
  rawPlate = '',
) {
  return {
    row,
    status,
    // A row whose plate could not be read still shows what the sheet has, so the manager sees which car it is.
    plate: entry?.plate ?? rawPlate,
    vipType: entry?.vip_type ?? '',
    startDay: entry?.start_day ?? null,
    endDay: entry?.end_day ?? null,
    payValue: entry?.pay_value ?? null,
    payPartner: entry?.pay_partner ?? null,
    problems,
  } satisfies ImportRowView;
}

export async function checkVipFile(
  queue: Queue,
  file: { name: string; bytes: Uint8Array },
  options: CheckOptions,
): Promise<CheckedImport> {
  const progress = options.onProgress ?? (() => {});
  const table = await readTable(file.name, file.bytes, (done, total) => progress('read', done, total));
  const key = headersKey(table.headers);
  const { mapping, columns, missing } = mapHeaders(table.headers, options.mapping, options.memory?.get(key));
  if (options.mapping && missing.length === 0) options.memory?.put(key, mapping);

  const issues: ImportIssue[] = [];
  const list: ImportRowView[] = [];
  const problems = new Map<number, string[]>();
  const rows: Record<string, unknown>[] = [];
  const already: boolean[] = [];
  const total = table.rows.length;
  const base = {
    fileName: table.fileName,
    headers: table.headers,
    mapping,
    missing: missing.map(renewalFieldLabel),
    rows: total,
  };
  if (missing.length > 0) {
    // Without a required column every row would be wrong the same way: the mapping is asked for first.
    return {
      table,
      preview: { ...base, good: 0, alreadySent: 0, badRows: 0, issues, list },
      rows,
      already,
      problems,
    };
  }

  const plateColumn = columns.indexOf('plate');
  const rawPlate = (cells: readonly unknown[]) => {
    const c = plateColumn >= 0 ? cells[plateColumn] : null;
    return typeof c === 'string' || typeof c === 'number' ? String(c).trim().slice(0, 20) : '';
  };
  const bad = (
    row: number,
    entry: RenewalEntry | null,
    found: { column: number | null; field: string | null; message: string }[],
    cells: readonly unknown[],
    /** The reader's messages name their column already; the queue's (a repeated order number) do not. */
    nameColumn = false,
  ) => {
    const texts: string[] = [];
    for (const f of found) {
      const column = f.column !== null ? (table.headers[f.column] ?? null) : null;
      issues.push({ row, column, field: f.field, message: f.message });
      texts.push(column && nameColumn ? `${column}: ${f.message}` : f.message);
    }
    problems.set(row, texts);
    list.push(view(row, entry, 'bad', texts, rawPlate(cells)));
  };

  // The classifier counts the rows it was given; a message about another row names that row's spreadsheet number.
  const sheetRows: number[] = [];
  const classifier = queue.vipClassifier({ rowName: (i) => `第 ${sheetRows[i] ?? i + 1} 行` });
  let good = 0;
  let alreadySent = 0;
  for (let start = 0; start < total; start += SLICE) {
    const slice = table.rows.slice(start, start + SLICE);
    const read = slice.map((r) => {
      const x = { r, ...rowToEntry(r.cells, columns, options.zone, { operator: options.operator }) };
      // The template's own example rows, left in by mistake, must not renew two made-up cars.
      if (x.entry?.operator === EXAMPLE_OPERATOR) {
        const column = columns.indexOf('operator');
        x.issues.push({
          column: column >= 0 ? column : null,
          field: 'operator',
          message: '这是模板自带的示例行, 请删除后再导入',
        });
      }
      return x;
    });
    const ok = read.filter((x) => x.entry && x.issues.length === 0);
    const platformRows = ok.map((x) => renewalToRow(x.entry!, options.zone));
    for (const x of ok) sheetRows.push(x.r.row);
    const checks = classifier.check(platformRows);
    let k = 0;
    for (const x of read) {
      if (!x.entry || x.issues.length > 0) {
        bad(x.r.row, x.entry, x.issues, x.r.cells);
        continue;
      }
      const check = checks[k]!;
      const row = platformRows[k]!;
      k++;
      if (check.status === 'bad') {
        bad(
          x.r.row,
          x.entry,
          check.issues.map((i) => {
            const column = columns.indexOf(i.field as never);
            return { column: column >= 0 ? column : null, field: i.field, message: i.message };
          }),
          x.r.cells,
          true,
        );
        continue;
      }
      const isAlready = check.status === 'already';
      if (isAlready) {
        alreadySent++;
        row.pay_partner = check.payPartner;
      } else good++;
      rows.push(row);
      already.push(isAlready);
      list.push(
        view(
          x.r.row,
          { ...x.entry, pay_partner: (row.pay_partner as string | undefined) ?? x.entry.pay_partner },
          isAlready ? 'already' : 'good',
          [],
        ),
      );
    }
    progress('check', Math.min(start + SLICE, total), total);
    await turn();
  }
  return {
    table,
    preview: { ...base, good, alreadySent, badRows: problems.size, issues, list },
    rows,
    already,
    problems,
  };
}

export interface CommitOptions {
  complete?: boolean;
  batchSize: number;
  actor?: string;
  onProgress?: Progress;
}

/**
 * Queues the good rows (the rows queued before are left out, except in a full upload, which must hold every row:
 * the platform deletes what is not in it). A full upload is refused while any row is bad for the same reason.
 */
export async function commitVipImport(
  queue: Queue,
  checked: CheckedImport,
  options: CommitOptions,
): Promise<ImportCommitResult> {
  const { preview } = checked;
  if (preview.missing.length > 0) {
    throw new RecordError([{ field: 'mapping', message: `缺少必填列: ${preview.missing.join('、')}` }]);
  }
  if (options.complete && preview.badRows > 0) {
    throw new RecordError([
      {
        field: 'complete',
        message: `完整上传会删除平台上不在表中的固定车: 表中还有 ${preview.badRows} 行有误, 请改正后再完整上传`,
      },
    ]);
  }
  const base = { rows: preview.rows, alreadySent: preview.alreadySent, skipped: preview.badRows };
  const wanted = options.complete ? checked.rows : checked.rows.filter((_, i) => !checked.already[i]);
  if (wanted.length === 0) return { ...base, queued: 0, batches: [] };
  const progress = options.onProgress ?? (() => {});
  const results = await queue.importVipRows(wanted, {
    complete: options.complete === true,
    batchSize: options.batchSize,
    ...(options.actor !== undefined ? { actor: options.actor } : {}),
    onProgress: (done, total) => progress('queue', done, total),
  });
  const batches: ImportBatchResult[] = results
    .filter((r) => !r.existing)
    .map((r, i) => ({
      id: r.id,
      key: r.key,
      rows: r.rows?.length ?? 0,
      complete: options.complete === true && i === 0,
    }));
  const queued = batches.reduce((n, b) => n + b.rows, 0);
  return { ...base, queued, batches };
}
