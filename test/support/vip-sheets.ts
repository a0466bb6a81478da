/** Renewal spreadsheets as managers keep them, for the import's tests, end-to-end tests and benchmark. */
import ExcelJS from 'exceljs';
import { RENEWAL_FIELD_LABELS } from '../../shared/records/renewal.ts';

/** The template's headers, in its order. */
export const TEMPLATE_HEADERS: string[] = Object.values(RENEWAL_FIELD_LABELS);

export type SheetCell = string | number | Date | null;

const PROVINCES = ['粤', '京', '沪', '浙', '苏', '湘', '川', '鄂'];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Distinct plates, the same for the same seed. */
export function platesFor(count: number, seed = 1): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = i * 7919 + seed * 104729;
    out.push(
      `${PROVINCES[n % PROVINCES.length]}${LETTERS[Math.floor(n / 8) % LETTERS.length]}${String(i).padStart(5, '0')}`,
    );
  }
  return out;
}

/**
 * `count` good monthly renewals (December 2026), in template order; `orderNumbers`: whether 车场订单号 is filled
 * (`ORD-<seed>-<i>`) or left for the console to mint.
 */
export function renewalRows(count: number, options: { seed?: number; orderNumbers?: boolean } = {}): SheetCell[][] {
  const seed = options.seed ?? 1;
  return platesFor(count, seed).map((plate, i) => [
    plate,
    i % 5 === 0 ? '1' : '蓝色',
    'MON_A',
    i % 7 === 0 ? '1' : '月卡',
    1,
    options.orderNumbers === false ? null : `ORD-${seed}-${i + 1}`,
    i % 3 === 0 ? '在线' : '现金',
    '31',
    '2026-11-20 09:30',
    i % 2 === 0 ? '2026-12-01' : '2026/12/1',
    '2026-12-31',
    // ￥ (full width) as a Chinese PC types it: GBK has no ¥ (U+00A5); the unit tests read both.
    i % 4 === 0 ? '￥1,200.00' : '19.99',
    '张三',
    null,
    null,
  ]);
}

/** An .xlsx of one sheet with these headers and rows (Dates become Excel date cells). */
export async function xlsxOf(headers: readonly string[], rows: readonly SheetCell[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('续费');
  ws.addRow([...headers]);
  for (const r of rows) ws.addRow(r.map((c) => c ?? undefined));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** CSV text (quoted where needed), lines ending \r\n as Excel writes them. */
export function csvOf(headers: readonly string[], rows: readonly SheetCell[][], delimiter = ','): string {
  const cell = (c: SheetCell) => {
    const s = c === null ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c);
    return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers, ...rows].map((r) => r.map(cell).join(delimiter)).join('\r\n') + '\r\n';
}
