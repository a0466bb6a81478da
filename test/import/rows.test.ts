/** A spreadsheet row as a renewal: every cell read for its field, the shared rules run, problems on their columns. */
import { describe, expect, it } from 'vitest';
import { mapHeaders, TEMPLATE_COLUMNS } from '../../electron/import/headers.ts';
import { type CellValue, readTable } from '../../electron/import/read-table.ts';
import { rowToEntry } from '../../electron/import/rows.ts';
import { utf8, ZONE } from './helpers.ts';

const COLUMNS = TEMPLATE_COLUMNS.map((c) => c.field);
const col = (header: string) => TEMPLATE_COLUMNS.findIndex((c) => c.header === header);

/** A row in template order, from header → cell. */
function row(cells: Record<string, CellValue>): CellValue[] {
  return TEMPLATE_COLUMNS.map((c) => cells[c.header] ?? null);
}

const GOOD_TEXT: Record<string, CellValue> = {
  车牌号码: '粤B12345',
  车牌颜色: '蓝色',
  收费类型: 'MON_A',
  固定车类型: '月卡',
  续费数量: '1',
  车场订单号: 'P20251201001',
  支付方式: '现金',
  面额: '31',
  支付时间: '2025/11/20 8:30',
  开始日期: '2025年12月1日',
  结束日期: '20251231',
  '支付金额(元)': '¥1,200.00',
  操作员: '张三',
  逻辑卡号: '00012',
  物理卡号: 'ID000001',
};

const GOOD_ENTRY = {
  plate: '粤B12345',
  plate_color: '1',
  charge_type: 'MON_A',
  vip_type: '1',
  quantity: 1,
  pay_partner: 'P20251201001',
  pay_type: '1',
  value: '31',
  pay_time: Date.UTC(2025, 10, 20, 0, 30),
  start_day: '2025-12-01',
  end_day: '2025-12-31',
  pay_value: 120000,
  operator: '张三',
  card_no: '00012',
  card_id: 'ID000001',
};

describe('rowToEntry', () => {
  it('reads a row of text cells (a CSV) into a renewal with no problems', () => {
    expect(rowToEntry(row(GOOD_TEXT), COLUMNS, ZONE)).toEqual({ entry: GOOD_ENTRY, issues: [] });
  });

  it('reads the same renewal from number and date cells (an .xlsx)', () => {
    const cells = row({
      ...GOOD_TEXT,
      车牌颜色: 1,
      固定车类型: 1,
      续费数量: 1,
      支付方式: 1,
      面额: 31,
      支付时间: { date: { year: 2025, month: 11, day: 20, hour: 8, minute: 30, second: 0 } },
      开始日期: { date: { year: 2025, month: 12, day: 1, hour: 0, minute: 0, second: 0 } },
      结束日期: 46022, // a serial day number: 2025-12-31
      '支付金额(元)': 1200,
      逻辑卡号: '00012',
    });
    expect(rowToEntry(cells, COLUMNS, ZONE)).toEqual({ entry: GOOD_ENTRY, issues: [] });
  });

  it('reports every problem of a row at once, each on its column and naming it', () => {
    const cells = row({ ...GOOD_TEXT, 车牌号码: '粤B1234', 车牌颜色: '紫色', '支付金额(元)': '-5' });
    const { entry, issues } = rowToEntry(cells, COLUMNS, ZONE);
    expect(entry).toBeNull();
    expect(issues.map((i) => [i.column, i.field])).toEqual([
      [col('车牌号码'), 'plate'],
      [col('车牌颜色'), 'plate_color'],
      [col('支付金额(元)'), 'pay_value'],
    ]);
    expect(issues[0]!.message).toBe('车牌号码长度不对: 普通车牌 7 位, 新能源车牌 8 位 (现在 6 位)');
    expect(issues[1]!.message).toMatch(/^车牌颜色「紫色」无法识别, 可填代码或名称: 1 蓝色/);
    expect(issues[2]!.message).toBe('支付金额(元)不能为负数, 表中为「-5」');
  });

  it('asks for a blank required field on its column, and gives no entry', () => {
    const { entry, issues } = rowToEntry(row({ ...GOOD_TEXT, 车牌号码: '  ', 收费类型: null }), COLUMNS, ZONE);
    expect(entry).toBeNull();
    expect(issues).toEqual([
      { column: col('车牌号码'), field: 'plate', message: '请填写车牌号码' },
      { column: col('收费类型'), field: 'charge_type', message: '请填写收费类型' },
    ]);
  });

  it('puts a rule across fields (the quantity does not fit the dates) on the quantity column', () => {
    const { entry, issues } = rowToEntry(row({ ...GOOD_TEXT, 续费数量: 3 }), COLUMNS, ZONE);
    expect(entry).toMatchObject({ quantity: 3 });
    expect(issues).toEqual([
      {
        column: col('续费数量'),
        field: 'quantity',
        // The rule's own sentence (renewal.ts), which names the column itself.
        message: expect.stringMatching(/^续费数量 3 与日期不符: 从 2025-12-01 起应到 2026-02-28 左右/),
      },
    ]);
  });

  it('names a payment time in the future on its column', () => {
    const { issues } = rowToEntry(row({ ...GOOD_TEXT, 支付时间: '2098-01-01 08:00' }), COLUMNS, ZONE);
    expect(issues).toEqual([
      { column: col('支付时间'), field: 'pay_time', message: '支付时间: 不能晚于现在一天以上, 请检查年份和电脑时钟' },
    ]);
  });

  it('reads 面额 by the card type: yuan for 储值, a count of days for the time cards', () => {
    const stored = rowToEntry(
      row({ ...GOOD_TEXT, 固定车类型: '储值', 面额: '¥500', 开始日期: null, 结束日期: null }),
      COLUMNS,
      ZONE,
    );
    expect(stored.issues).toEqual([]);
    expect(stored.entry).toMatchObject({ vip_type: '2', value: '50000' });
    const monthly = rowToEntry(row({ ...GOOD_TEXT, 面额: '¥500' }), COLUMNS, ZONE);
    expect(monthly.issues).toEqual([
      { column: col('面额'), field: 'value', message: '面额须为整数, 例如 1, 表中为「¥500」 (天数, 整数天)' },
    ]);
  });

  it('fills a blank operator with the default, and keeps one that is written', () => {
    const blank = rowToEntry(row({ ...GOOD_TEXT, 操作员: null }), COLUMNS, ZONE, { operator: '李经理' });
    expect(blank.entry?.operator).toBe('李经理');
    const written = rowToEntry(row(GOOD_TEXT), COLUMNS, ZONE, { operator: '李经理' });
    expect(written.entry?.operator).toBe('张三');
  });

  it('reads only the mapped columns, wherever they are', () => {
    const columns = [null, 'vip_type', 'plate', 'pay_type', null, 'quantity', 'charge_type', 'plate_color'] as const;
    const cells: CellValue[] = ['备注', '年卡', '粤A00001', '微信', 'x', 1, 101, '黄'];
    expect(rowToEntry(cells, [...columns], ZONE)).toEqual({
      entry: {
        plate: '粤A00001',
        plate_color: '2',
        charge_type: '101',
        vip_type: '5',
        quantity: 1,
        pay_type: '2',
      },
      issues: [],
    });
  });
});

describe('row numbers in problems are the sheet own', () => {
  it('after title rows and blank lines', async () => {
    const text = [
      '2025年12月续费,,,,,',
      '',
      '车牌,车牌颜色,收费类型,固定车类型,续费数量,支付方式',
      '粤B12345,蓝,MON_A,月卡,1,现金',
      '',
      '粤B1234,蓝,MON_A,月卡,1,现金',
    ].join('\r\n');
    const table = await readTable('a.csv', utf8(text));
    const { columns, missing } = mapHeaders(table.headers);
    expect(missing).toEqual([]);
    const bad = table.rows
      .map((r) => ({ row: r.row, ...rowToEntry(r.cells, columns, ZONE) }))
      .filter((r) => r.issues.length > 0)
      .map((r) => [r.row, r.issues.map((i) => table.headers[i.column!])]);
    expect(bad).toEqual([[6, ['车牌']]]);
  });
});
