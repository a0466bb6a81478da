/**
 * The renewal template managers download (固定车续费模板.xlsx): sheet 续费 with the headers in the order the importer
 * knows them, cells formatted so that Excel keeps plates and numbers as typed, two example rows, and sheet 说明
 * saying what each column takes.
 */
import ExcelJS from 'exceljs';
import type { DataValidation } from 'exceljs';
import type { RenewalField } from '../../shared/records/renewal.ts';
import { VALUE_MEANING } from '../../shared/records/renewal.ts';
import { DEFAULT_TIME_ZONE, instantToLocal } from '../../shared/records/time.ts';
import { enumChoices, PAY_TYPE_KIND, PLATE_COLOR_KIND, VIP_TYPE_KIND } from './cells.ts';
import { TEMPLATE_COLUMNS } from './headers.ts';

/** Text format: Excel keeps what is typed as text (a plate, a 20-digit order number, a card number with leading 0). */
const TEXT_FORMAT = '@';
const DAY_FORMAT = 'yyyy-mm-dd';
const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

const COLUMN_FORMATS: Partial<Record<RenewalField, string>> = {
  plate: TEXT_FORMAT,
  charge_type: TEXT_FORMAT,
  pay_partner: TEXT_FORMAT,
  operator: TEXT_FORMAT,
  card_no: TEXT_FORMAT,
  card_id: TEXT_FORMAT,
  pay_time: TIME_FORMAT,
  start_day: DAY_FORMAT,
  end_day: DAY_FORMAT,
  pay_value: '0.00',
};

const COLUMN_WIDTHS: Partial<Record<RenewalField, number>> = {
  plate: 13,
  pay_partner: 24,
  pay_time: 18,
  start_day: 13,
  end_day: 13,
  pay_value: 14,
  card_no: 14,
  card_id: 14,
};

/** Drop-down lists (Excel data validation) for the enumeration columns; other values stay allowed (codes, 蓝牌). */
const LISTS: Partial<Record<RenewalField, readonly string[]>> = {
  plate_color: PLATE_COLOR_KIND.options.map((o) => o.label),
  vip_type: VIP_TYPE_KIND.options.map((o) => o.label),
  pay_type: PAY_TYPE_KIND.options.map((o) => o.label),
};

/** Rows the template prepares formats and drop-downs for. */
const PREPARED_ROWS = 5000;
export const EXAMPLE_OPERATOR = '示例-导入前请删除';

/** A wall clock as the Date exceljs writes as that wall clock (its UTC fields). */
const wallClock = (y: number, m: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, m - 1, d, h, mi));

/** Example rows dated from today (in the default zone): paid yesterday, covering next month, so that they are valid. */
function exampleRows(now: number): Partial<Record<RenewalField, unknown>>[] {
  const y = instantToLocal(now - 86_400_000, DEFAULT_TIME_ZONE);
  const t = instantToLocal(now, DEFAULT_TIME_ZONE);
  const nextYear = t.month === 12 ? t.year + 1 : t.year;
  const nextMonth = (t.month % 12) + 1;
  const lastDay = new Date(Date.UTC(nextYear, nextMonth, 0)).getUTCDate();
  return [
    {
      plate: '粤B12345',
      plate_color: '蓝色',
      charge_type: 'MON_A',
      vip_type: '月卡',
      quantity: 1,
      pay_type: '现金支付',
      value: lastDay,
      pay_time: wallClock(y.year, y.month, y.day, 8, 30),
      start_day: wallClock(nextYear, nextMonth, 1),
      end_day: wallClock(nextYear, nextMonth, lastDay),
      pay_value: 300,
      operator: EXAMPLE_OPERATOR,
    },
    {
      plate: '粤BD12345',
      plate_color: '绿色',
      charge_type: 'STORE_A',
      vip_type: '储值',
      quantity: 1,
      pay_type: '在线支付',
      value: 500,
      pay_time: wallClock(y.year, y.month, y.day, 9, 15),
      pay_value: 500,
      operator: EXAMPLE_OPERATOR,
    },
  ];
}

const BOLD = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
const REQUIRED_FONT = { bold: true, color: { argb: 'FFC00000' } };
const EXAMPLE_FONT = { italic: true, color: { argb: 'FF808080' } };

function renewalSheet(wb: ExcelJS.Workbook, now: number): void {
  const ws = wb.addWorksheet('续费', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = TEMPLATE_COLUMNS.map((c) => {
    const format = COLUMN_FORMATS[c.field];
    return {
      header: c.header,
      key: c.field,
      width: COLUMN_WIDTHS[c.field] ?? Math.max(10, c.header.length * 2 + 2),
      ...(format ? { style: { numFmt: format } } : {}),
    };
  });
  const header = ws.getRow(1);
  TEMPLATE_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = c.required ? REQUIRED_FONT : BOLD;
    cell.fill = HEADER_FILL;
    cell.note = `${c.required ? '必填' : '选填'}: ${c.note}`;
  });
  for (const example of exampleRows(now)) {
    const row = ws.addRow(example);
    row.font = EXAMPLE_FONT;
  }
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: DataValidation): void } })
    .dataValidations;
  TEMPLATE_COLUMNS.forEach((c, i) => {
    const list = LISTS[c.field];
    if (!list) return;
    const letter = ws.getColumn(i + 1).letter;
    validations.add(`${letter}2:${letter}${PREPARED_ROWS}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${list.join(',')}"`],
      // A suggestion, not a rule: codes (1, 2) and other names (蓝牌, 微信) are accepted too.
      showErrorMessage: false,
    });
  });
}

function notesSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet('说明');
  ws.columns = [{ width: 16 }, { width: 10 }, { width: 100 }];
  const title = ws.addRow(['列名', '是否必填', '填写说明']);
  title.font = BOLD;
  title.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  for (const c of TEMPLATE_COLUMNS) {
    const row = ws.addRow([c.header, c.required ? '必填' : '选填', c.note]);
    if (c.required) row.getCell(2).font = REQUIRED_FONT;
    row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
  }
  ws.addRow([]);
  ws.addRow(['固定车类型', '代码', '面额的含义']).font = BOLD;
  for (const o of VIP_TYPE_KIND.options) {
    const meaning = VALUE_MEANING[o.value];
    const unit = meaning?.unit === 'fen' ? '金额, 单位元 (例如 500)' : meaning?.unit === 'count' ? '次数' : '天数';
    ws.addRow([o.label, o.value, meaning?.unit === null ? '不填' : unit]);
  }
  ws.addRow([]);
  ws.addRow(['可填的值']).font = BOLD;
  ws.addRow(['车牌颜色', '', enumChoices(PLATE_COLOR_KIND)]);
  ws.addRow(['固定车类型', '', enumChoices(VIP_TYPE_KIND)]);
  ws.addRow(['支付方式', '', enumChoices(PAY_TYPE_KIND)]);
  ws.addRow([]);
  ws.addRow(['注意']).font = BOLD;
  for (const line of [
    `"续费" 表第 2、3 行是示例 (操作员为 ${EXAMPLE_OPERATOR}), 导入前请删除.`,
    '红色表头为必填列. 其余列可以不填, 也可以删掉整列.',
    '日期和支付时间按车场所在地的时间填写. 开始日期从当天 00:00:00 起, 结束日期到当天 23:59:59 止.',
    '车牌号码、车场订单号和卡号请保持文本格式, 以免 Excel 把长编号变成科学计数法而丢失数字.',
    '也可以用自己的表格: 表头不同时, 导入时可以手动指定每列对应的内容.',
    '旧版 .xls 文件请先在 Excel 中另存为 .xlsx; 也可以导入 CSV 文件 (UTF-8 或 GBK 编码).',
  ]) {
    ws.addRow(['', '', line]);
  }
}

/** The template as .xlsx bytes; `now` dates the examples (the current time unless a test says otherwise). */
export async function vipTemplateXlsx(now: number = Date.now()): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '停车场岗亭控制台';
  renewalSheet(wb, now);
  notesSheet(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
