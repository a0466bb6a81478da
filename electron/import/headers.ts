/**
 * Which column of a spreadsheet holds which renewal field. The template's headers and the names people (and the
 * platform's own page) give these columns are recognised; anything else is mapped by hand, and a hand mapping is
 * remembered for files with the same headers.
 */
import { createHash } from 'node:crypto';
import type { ImportMapping } from '../../shared/contract/vip.ts';
import type { RenewalField } from '../../shared/records/renewal.ts';
import {
  RENEWAL_FIELD_LABELS,
  RENEWAL_FIELDS,
  renewalFieldLabel,
  VALUE_MEANING,
} from '../../shared/records/renewal.ts';
import { enumChoices, PAY_TYPE_KIND, PLATE_COLOR_KIND, VIP_TYPE_KIND } from './cells.ts';
import { ImportFileError } from './table.ts';

export interface TemplateColumn {
  header: string;
  field: RenewalField;
  required: boolean;
  /** What to write, for the template's 说明 sheet. */
  note: string;
}

/** 面额 per 固定车类型, from VALUE_MEANING: 月卡: 天数; 储值: 金额 (元); … */
function valueMeaningText(): string {
  return VIP_TYPE_KIND.options.map((o) => `${o.label}: ${VALUE_MEANING[o.value]?.label ?? '不填'}`).join('; ');
}

/** The template's columns, in its order. */
export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  {
    header: RENEWAL_FIELD_LABELS.plate,
    field: 'plate',
    required: true,
    note: '例如 粤B12345; 新能源车牌 8 位, 例如 粤BD12345',
  },
  {
    header: RENEWAL_FIELD_LABELS.plate_color,
    field: 'plate_color',
    required: true,
    note: `填代码或名称: ${enumChoices(PLATE_COLOR_KIND)}`,
  },
  {
    header: RENEWAL_FIELD_LABELS.charge_type,
    field: 'charge_type',
    required: true,
    note: '车场的固定车收费规则 ID, 例如 MON_A',
  },
  {
    header: RENEWAL_FIELD_LABELS.vip_type,
    field: 'vip_type',
    required: true,
    note: `填代码或名称: ${enumChoices(VIP_TYPE_KIND)}`,
  },
  {
    header: RENEWAL_FIELD_LABELS.quantity,
    field: 'quantity',
    required: true,
    note: '整数: 月卡为月数, 季度卡为季度数, 半年卡为半年数, 年卡为年数, 储天为天数',
  },
  {
    header: RENEWAL_FIELD_LABELS.pay_partner,
    field: 'pay_partner',
    required: false,
    note: '车场内唯一, 不填则自动生成; 请保持文本格式, 长编号存成数字会丢失末尾数字',
  },
  {
    header: RENEWAL_FIELD_LABELS.pay_type,
    field: 'pay_type',
    required: true,
    note: `填代码或名称: ${enumChoices(PAY_TYPE_KIND)}`,
  },
  { header: RENEWAL_FIELD_LABELS.value, field: 'value', required: false, note: `按固定车类型: ${valueMeaningText()}` },
  {
    header: RENEWAL_FIELD_LABELS.pay_time,
    field: 'pay_time',
    required: false,
    note: '车场当地时间, 例如 2026-12-01 08:30, 或 13 位毫秒时间戳',
  },
  {
    header: RENEWAL_FIELD_LABELS.start_day,
    field: 'start_day',
    required: false,
    note: '例如 2026-12-01 (从当天 00:00:00 起)',
  },
  {
    header: RENEWAL_FIELD_LABELS.end_day,
    field: 'end_day',
    required: false,
    note: '例如 2026-12-31 (到当天 23:59:59)',
  },
  {
    header: RENEWAL_FIELD_LABELS.pay_value,
    field: 'pay_value',
    required: false,
    note: '单位为元, 最多两位小数, 例如 300 或 ¥1,200.00; 不能为负数',
  },
  { header: RENEWAL_FIELD_LABELS.operator, field: 'operator', required: false, note: '不填则记为导入的人' },
  { header: RENEWAL_FIELD_LABELS.card_no, field: 'card_no', required: false, note: '没有可不填' },
  { header: RENEWAL_FIELD_LABELS.card_id, field: 'card_id', required: false, note: '没有可不填' },
];

export { RENEWAL_FIELDS } from '../../shared/records/renewal.ts';
export const REQUIRED_FIELDS: readonly RenewalField[] = TEMPLATE_COLUMNS.filter((c) => c.required).map((c) => c.field);

/** The template's header of a field, to name it in messages. */
export const fieldLabel = renewalFieldLabel;

/**
 * Other names of the columns, in order of preference when a file has two of them (支付金额 before 金额): the ones
 * the issue lists, and the platform page's own descriptions (车辆颜色, 支付类型, 支付面额 …).
 */
const ALIASES: Partial<Record<RenewalField, readonly string[]>> = {
  plate: ['车牌', '车牌号'],
  plate_color: ['车辆颜色'],
  charge_type: ['固定车收费类型', '收费规则'],
  quantity: ['续费单位数量', '数量'],
  pay_partner: ['订单号', '订单编号'],
  pay_type: ['支付类型', '付款方式'],
  value: ['支付面额'],
  start_day: ['起始日期', '生效日期', '开始时间', '续费开始时间'],
  end_day: ['到期日期', '截止日期', '结束时间', '续费结束时间', '到期时间'],
  pay_value: ['支付金额', '实收金额', '金额'],
  operator: ['操作人', '收费员'],
};

/** The last column of a bad-rows file (bad-rows.ts): never imported, and not part of a file's header set. */
export const BAD_ROWS_REASON_HEADER = '错误原因';

/**
 * A header as compared: width, spaces and case folded (支付金额（元） is 支付金额(元)), and the marks templates put on
 * required columns dropped (车牌号码*, *车牌号码, 车牌号码(必填)).
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\((?:必填|选填|可选|非必填)\)$/, '')
    .replace(/^\*+|\*+$/g, '')
    .toLowerCase();
}

interface Known {
  field: RenewalField;
  /** Lower wins when two columns name the same field. */
  rank: number;
}

/** Every recognised header: the template's (rank 10), aliases (11, 12 …), the field names themselves (50). */
const KNOWN = new Map<string, Known>();
for (const c of TEMPLATE_COLUMNS) KNOWN.set(headerKey(c.header), { field: c.field, rank: 10 });
for (const c of TEMPLATE_COLUMNS) {
  (ALIASES[c.field] ?? []).forEach((alias, i) => {
    if (!KNOWN.has(headerKey(alias))) KNOWN.set(headerKey(alias), { field: c.field, rank: 11 + i });
  });
}
for (const f of RENEWAL_FIELDS) if (!KNOWN.has(f)) KNOWN.set(f, { field: f, rank: 50 });

/** A field as a mapping or the command line names it: its own name, its template header or an alias. */
export function fieldNamed(name: string): RenewalField | null {
  if ((RENEWAL_FIELDS as readonly string[]).includes(name.trim())) return name.trim() as RenewalField;
  return KNOWN.get(headerKey(name))?.field ?? null;
}

/** The entry of `mapping` for `header`: its exact text first, else the same header written differently. */
function entryFor(mapping: ImportMapping | undefined, header: string): [string, string | null] | null {
  if (!mapping) return null;
  if (Object.hasOwn(mapping, header)) return [header, mapping[header] ?? null];
  const key = headerKey(header);
  for (const [k, v] of Object.entries(mapping)) if (headerKey(k) === key) return [k, v];
  return null;
}

export interface HeaderMapping {
  /** Every non-empty header (trimmed) → its field, or null when the column is not imported. */
  mapping: ImportMapping;
  /** Per column (the table's order): the field it gives, or null. */
  columns: (RenewalField | null)[];
  /** Required fields no column gives. */
  missing: RenewalField[];
  /** Fields named in `given` or `remembered` that are no renewal field (nothing was mapped by them). */
  unknownFields: string[];
}

/**
 * Maps a file's headers to fields: `given` (typed by hand) first, then `remembered` (the mapping saved for this header
 * set), then the recognised names. Two columns for one field: the hand-mapped one, else the better-known name, else
 * the left one; the other is not imported (shown as null, so that it can be chosen instead). Throws ImportFileError
 * when `given` itself maps two columns to one field.
 */
export function mapHeaders(headers: string[], given?: ImportMapping, remembered?: ImportMapping): HeaderMapping {
  const unknownFields: string[] = [];
  const claims: (Known | { field: null; rank: number } | null)[] = headers.map((raw) => {
    const header = raw.trim();
    if (header === '' || headerKey(header) === BAD_ROWS_REASON_HEADER) return null;
    for (const [source, rank] of [
      [given, 0],
      [remembered, 1],
    ] as const) {
      const entry = entryFor(source, header);
      if (!entry) continue;
      const [, value] = entry;
      if (value === null || value.trim() === '') return { field: null, rank };
      const field = fieldNamed(value);
      if (field) return { field, rank };
      if (!unknownFields.includes(value)) unknownFields.push(value);
    }
    return KNOWN.get(headerKey(header)) ?? null;
  });

  const columns: (RenewalField | null)[] = claims.map((c) => c?.field ?? null);
  const byField = new Map<RenewalField, number[]>();
  columns.forEach((f, i) => {
    if (f) byField.set(f, [...(byField.get(f) ?? []), i]);
  });
  for (const [field, list] of byField) {
    if (list.length < 2) continue;
    const handMapped = list.filter((i) => claims[i]!.rank === 0);
    if (handMapped.length > 1) {
      const names = handMapped.map((i) => `「${headers[i]!.trim()}」`).join('和');
      throw new ImportFileError(`${names}都对应了「${fieldLabel(field)}」, 每一项只能由一列填写, 请只保留其中一列`);
    }
    const winner = [...list].sort((a, b) => claims[a]!.rank - claims[b]!.rank || a - b)[0]!;
    for (const i of list) if (i !== winner) columns[i] = null;
  }

  const mapping: ImportMapping = {};
  headers.forEach((raw, i) => {
    const header = raw.trim();
    if (header !== '' && !Object.hasOwn(mapping, header)) mapping[header] = columns[i] ?? null;
  });
  const missing = REQUIRED_FIELDS.filter((f) => !columns.includes(f));
  return { mapping, columns, missing, unknownFields };
}

/**
 * A stable key of a header set, to remember a hand mapping by: the headers as compared (headerKey), in any order, the
 * bad-rows file's 错误原因 left out so that a fixed bad-rows file maps as its original did.
 */
export function headersKey(headers: string[]): string {
  const keys = new Set(headers.map(headerKey).filter((k) => k !== '' && k !== BAD_ROWS_REASON_HEADER));
  return createHash('sha256')
    .update([...keys].sort().join('\n'))
    .digest('hex')
    .slice(0, 32);
}

/** What `--map` takes for a column that is not imported. */
const SKIP_WORDS = new Set(['', '-', 'null', 'none', '不导入', '忽略']);

/**
 * The command line's `--map "表头=field,表头2=field2"`: a field by its name (plate) or its template header (车牌号码);
 * `表头=-` (or 不导入) leaves a column out. Full-width ，and ＝ are taken too.
 */
export function parseMapArg(text: string): ImportMapping {
  const mapping: ImportMapping = {};
  const parts = text
    .normalize('NFKC')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ImportFileError('--map 是空的, 请写成 "表头=字段,表头2=字段2", 例如 "车牌=plate"');
  const fields = TEMPLATE_COLUMNS.map((c) => `${c.field}(${c.header})`).join(', ');
  for (const part of parts) {
    const at = part.indexOf('=');
    if (at < 0) throw new ImportFileError(`--map 中「${part}」缺少等号, 请写成 "表头=字段", 例如 "车牌=plate"`);
    const header = part.slice(0, at).trim();
    const name = part.slice(at + 1).trim();
    if (header === '') throw new ImportFileError(`--map 中「${part}」缺少表头, 请写成 "表头=字段"`);
    if (Object.hasOwn(mapping, header)) throw new ImportFileError(`--map 中表头「${header}」写了两次`);
    if (SKIP_WORDS.has(name.toLowerCase())) {
      mapping[header] = null;
      continue;
    }
    const field = fieldNamed(name);
    if (!field) throw new ImportFileError(`--map 中「${name}」不是可导入的字段, 可用: ${fields}; 不导入写 -`);
    mapping[header] = field;
  }
  return mapping;
}
