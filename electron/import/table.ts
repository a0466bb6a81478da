/**
 * What a spreadsheet reads as, whatever its format: the header row's texts and every non-blank row below it, each cell
 * as the person meant it (text, number, yes/no, or an Excel date as its wall-clock reading), and the error a file that
 * cannot be read at all is refused with. Kept apart from read-table.ts so that the CSV and xlsx readers can use it
 * without importing the module that imports them.
 */
import type { LocalParts } from '../../shared/records/time.ts';

/** An Excel date cell's wall-clock reading: what the person typed, in no zone at all. */
export type LocalDateTime = LocalParts;

export type CellValue = string | number | boolean | { date: LocalDateTime } | null;

export interface TableRow {
  /** The sheet's own 1-based row number (CSV: the record's line as Excel shows it, the first line being 1). */
  row: number;
  cells: CellValue[];
}

export interface Table {
  fileName: string;
  headers: string[];
  headerRow: number;
  rows: TableRow[];
}

/** A file that cannot be read as a table; the message is one plain-Chinese sentence for the manager. */
export class ImportFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ImportFileError';
  }
}

/** A row the readers give before the header row is known: blank rows included, so that numbering stays the sheet's. */
export interface RawRow {
  row: number;
  cells: CellValue[];
}

/** What a reader hands to readTable: the rows as they come, and how many it expects (0 when it cannot tell). */
export interface RawSheet {
  /** A rough count of rows, for progress only. */
  expectedRows: number;
  rows: AsyncIterable<RawRow>;
}

/** How many rows a reader handles between two yields to the event loop (a few milliseconds of work). */
export const ROWS_PER_YIELD = 200;

/** Lets timers, IPC and the window's events run before the next stretch of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
