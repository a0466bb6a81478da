/**
 * One spreadsheet row as a renewal: each mapped cell read for its field (cells.ts), then the renewal rules every path
 * shares (renewalProblems), each problem placed on the column it belongs to.
 */
import type { RenewalEntry, RenewalField } from '../../shared/records/renewal.ts';
import { renewalProblems } from '../../shared/records/renewal.ts';
import {
  PAY_TYPE_KIND,
  PLATE_COLOR_KIND,
  type Read,
  readCount,
  readDateTime,
  readDay,
  readEnum,
  readFaceValue,
  readKey,
  readPlate,
  readText,
  readYuan,
  VIP_TYPE_KIND,
} from './cells.ts';
import { fieldLabel, RENEWAL_FIELDS, REQUIRED_FIELDS } from './headers.ts';
import type { CellValue } from './table.ts';

export interface RowIssue {
  /** The column's index in the table (0-based), or null for a problem no single column holds. */
  column: number | null;
  field: string | null;
  /** One Chinese sentence naming the column. */
  message: string;
}

type Reader = (
  cell: CellValue | undefined,
  label: string,
  ctx: { zone: string; vipType: string | undefined },
) => Read<unknown>;

const READERS: Record<RenewalField, Reader> = {
  plate: (c, l) => readPlate(c, l),
  plate_color: (c, l) => readEnum(c, PLATE_COLOR_KIND, l),
  charge_type: (c, l) => readText(c, l),
  vip_type: (c, l) => readEnum(c, VIP_TYPE_KIND, l),
  quantity: (c, l) => readCount(c, l),
  pay_partner: (c, l) => readKey(c, l),
  pay_type: (c, l) => readEnum(c, PAY_TYPE_KIND, l),
  value: (c, l, ctx) => (ctx.vipType === undefined ? { value: undefined } : readFaceValue(c, ctx.vipType, l)),
  pay_time: (c, l, ctx) => readDateTime(c, ctx.zone, l),
  start_day: (c, l) => readDay(c, l),
  end_day: (c, l) => readDay(c, l),
  pay_value: (c, l) => readYuan(c, l),
  operator: (c, l) => readText(c, l),
  card_no: (c, l) => readKey(c, l),
  card_id: (c, l) => readKey(c, l),
};

/** A rule's message as a sentence naming the column (the rules' own messages leave the field to the caller). */
function ruleMessage(field: string, message: string): string {
  const label = fieldLabel(field);
  if (message === '必填') return `请填写${label}`;
  return message.startsWith(label) ? message : `${label}: ${message}`;
}

/**
 * The renewal a row holds. `entry` is null when a cell could not be read or a required field is blank; otherwise it
 * is the row as read, and only good to queue when `issues` is empty. Problems of cells that could not be read are
 * reported together with the rule problems of the cells that could, so that one round of fixing is enough.
 */
export function rowToEntry(
  cells: CellValue[],
  columns: (RenewalField | null)[],
  zone: string,
  defaults?: { operator?: string },
): { entry: RenewalEntry | null; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const columnOf = new Map<RenewalField, number>();
  columns.forEach((f, i) => {
    if (f && !columnOf.has(f)) columnOf.set(f, i);
  });
  const values: Partial<Record<RenewalField, unknown>> = {};
  const unread = new Set<RenewalField>();
  const ctx = { zone, vipType: undefined as string | undefined };
  // 固定车类型 first: what 面额 means depends on it.
  const vipColumn = columnOf.get('vip_type');
  if (vipColumn !== undefined) {
    const read = READERS.vip_type(cells[vipColumn], fieldLabel('vip_type'), ctx);
    if (read.problem === undefined && read.value !== undefined) ctx.vipType = read.value as string;
  }
  for (const field of RENEWAL_FIELDS) {
    const column = columnOf.get(field);
    if (column === undefined) continue;
    const read = READERS[field](cells[column], fieldLabel(field), ctx);
    if (read.problem !== undefined) {
      unread.add(field);
      issues.push({ column, field, message: read.problem });
    } else if (read.value !== undefined) {
      values[field] = read.value;
    }
  }
  if (values.operator === undefined && defaults?.operator) values.operator = defaults.operator;

  const entry = values as unknown as RenewalEntry;
  for (const p of renewalProblems(entry, zone)) {
    // A cell that could not be read has said so already; the rules would only call it 必填.
    if (unread.has(p.field as RenewalField)) continue;
    const column = columnOf.get(p.field as RenewalField) ?? null;
    issues.push({ column, field: p.field, message: ruleMessage(p.field, p.message) });
  }
  issues.sort((a, b) => (a.column ?? Number.MAX_SAFE_INTEGER) - (b.column ?? Number.MAX_SAFE_INTEGER));
  const complete = unread.size === 0 && REQUIRED_FIELDS.every((f) => values[f] !== undefined);
  return { entry: complete ? entry : null, issues };
}
