/** The template managers download, and the bad-rows file they fix: both read back into valid renewals. */
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { badRowsXlsx } from '../../electron/import/bad-rows.ts';
import { BAD_ROWS_REASON_HEADER, headersKey, mapHeaders, TEMPLATE_COLUMNS } from '../../electron/import/headers.ts';
import { readTable } from '../../electron/import/read-table.ts';
import { rowToEntry } from '../../electron/import/rows.ts';
import { vipTemplateXlsx } from '../../electron/import/template.ts';
import { TEMPLATE_HEADERS, wall, xlsxOf, ZONE } from './helpers.ts';

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

const columnOf = (header: string) => TEMPLATE_HEADERS.indexOf(header) + 1;

describe('the template', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('has sheet 续费 with the headers, bold and frozen, text and date formats, and drop-downs', async () => {
    const wb = await load(await vipTemplateXlsx());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['续费', '说明']);
    const ws = wb.getWorksheet('续费')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(TEMPLATE_HEADERS);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getRow(1).getCell(columnOf('操作员')).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    for (const h of ['车牌号码', '车场订单号', '逻辑卡号', '物理卡号'])
      expect(ws.getColumn(columnOf(h)).numFmt).toBe('@');
    for (const h of ['开始日期', '结束日期']) expect(ws.getColumn(columnOf(h)).numFmt).toBe('yyyy-mm-dd');
    expect(ws.getColumn(columnOf('支付时间')).numFmt).toBe('yyyy-mm-dd hh:mm');
    for (const c of TEMPLATE_COLUMNS) expect(ws.getColumn(columnOf(c.header)).width).toBeGreaterThanOrEqual(10);
    expect(ws.getCell('B2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"蓝色,黄色,白色,黑色,绿色,未知"'],
    });
    expect(ws.getCell('G2').dataValidation).toMatchObject({ type: 'list', formulae: ['"现金支付,在线支付"'] });
    expect(ws.rowCount).toBe(3);
  });

  it('explains every column, whether it is required, what it takes, and 面额 per type on sheet 说明', async () => {
    const wb = await load(await vipTemplateXlsx());
    const text = wb
      .getWorksheet('说明')!
      .getSheetValues()
      .map((r) => (Array.isArray(r) ? r.slice(1).join(' | ') : ''))
      .join('\n');
    for (const c of TEMPLATE_COLUMNS)
      expect(text).toContain(`${c.header} | ${c.required ? '必填' : '选填'} | ${c.note}`);
    expect(text).toContain('储值 | 2 | 金额, 单位元');
    expect(text).toContain('储次 | 3 | 次数');
    expect(text).toContain('月卡 | 1 | 天数');
    expect(text).toContain('免费停车(白名单) | 0 | 不填');
    expect(text).toContain('1 蓝色 (蓝, 蓝牌)');
    expect(text).toContain('2 在线支付 (在线, 线上, 线上支付, 微信, 微信支付, 支付宝, 支付宝支付)');
    expect(text).toContain('导入前请删除');
  });

  it.each([
    ['today', Date.now()],
    ['in December (next month is January)', Date.UTC(2026, 11, 15, 4)],
    ['on the last day of January', Date.UTC(2027, 0, 31, 4)],
  ])('reads back into valid renewals (%s)', async (_when, now) => {
    // The clock is set for the rules too (a payment time may not lie ahead of now); only Date is faked, so that the
    // reader's turns of the event loop still run.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    const table = await readTable('固定车续费模板.xlsx', await vipTemplateXlsx());
    const { columns, missing } = mapHeaders(table.headers);
    expect(missing).toEqual([]);
    expect(columns).toEqual(TEMPLATE_COLUMNS.map((c) => c.field));
    expect(table.rows.map((r) => r.row)).toEqual([2, 3]);
    const read = table.rows.map((r) => rowToEntry(r.cells, columns, ZONE));
    for (const r of read) expect(r.issues).toEqual([]);
    expect(read[0]!.entry).toMatchObject({ plate: '粤B12345', vip_type: '1', pay_type: '1', pay_value: 30000 });
    expect(read[1]!.entry).toMatchObject({ plate: '粤BD12345', vip_type: '2', value: '50000', pay_type: '2' });
    expect(read[0]!.entry!.start_day!.endsWith('-01')).toBe(true);
  });
});

describe('the bad-rows file', () => {
  async function original() {
    const bytes = await xlsxOf(
      [
        ['2025年12月续费'],
        ['车牌', '车牌颜色', '收费类型', '固定车类型', '续费数量', '支付方式', '开始日期', '金额', '单号', '备注'],
        ['粤B12345', '蓝色', 'MON_A', '月卡', 1, '现金', wall(2025, 12, 1), 300, '000123', '好的'],
        ['粤B1234', '蓝色', 'MON_A', '月卡', 1, '现金', wall(2025, 12, 1), 300, '000124', null],
        ['粤B12346', '紫色', 'MON_A', '月卡', 1, '现金', wall(2025, 12, 1, 8, 30), -5, '000125', '有误'],
      ],
      { formats: { 7: 'yyyy-mm-dd' } },
    );
    return readTable('续费.xlsx', bytes);
  }

  it('holds the bad rows only, with the original headers and cells and the reasons last', async () => {
    const table = await original();
    const problems = new Map([
      [4, ['车牌: 车牌号码长度不对']],
      [5, ['车牌颜色: 无法识别', '金额: 不能为负数']],
    ]);
    const bytes = await badRowsXlsx(table, problems);
    const back = await readTable('错误行.xlsx', bytes);
    expect(back.headers).toEqual([...table.headers, BAD_ROWS_REASON_HEADER]);
    expect(back.rows.map((r) => r.cells)).toEqual([
      [...table.rows[1]!.cells, null, '原第 4 行: 车牌: 车牌号码长度不对'],
      [...table.rows[2]!.cells, '原第 5 行: 车牌颜色: 无法识别; 金额: 不能为负数'],
    ]);
    expect(table.rows[2]!.cells[6]).toEqual({
      date: { year: 2025, month: 12, day: 1, hour: 8, minute: 30, second: 0 },
    });

    const ws = (await load(bytes)).worksheets[0]!;
    expect(ws.getCell('A2').numFmt).toBe('@'); // plates stay text when edited
    expect(ws.getCell('I2').value).toBe('000124');
    expect(ws.getCell('G2').value).toBeInstanceOf(Date);
    expect(ws.getCell('G2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('H2').value).toBe(300);
  });

  it('imports again after fixing, mapped as the original was', async () => {
    const table = await original();
    const given = { 金额: 'pay_value', 单号: 'pay_partner' };
    const first = mapHeaders(table.headers, given);
    const bytes = await badRowsXlsx(table, new Map([[4, ['车牌: 车牌号码长度不对']]]));
    const back = await readTable('错误行.xlsx', bytes);
    expect(headersKey(back.headers)).toBe(headersKey(table.headers));
    const again = mapHeaders(back.headers, undefined, given);
    expect(again.columns).toEqual([...first.columns, null]);
    const fixed = [...back.rows[0]!.cells];
    fixed[0] = '粤B12347';
    const { entry, issues } = rowToEntry(fixed, again.columns, ZONE);
    expect(issues).toEqual([]);
    expect(entry).toMatchObject({
      plate: '粤B12347',
      start_day: '2025-12-01',
      pay_value: 30000,
      pay_partner: '000124',
    });
  });
});
